package dev.fanout.internal;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.fanout.RegistryCredential;
import dev.fanout.spi.PushDestination;
import java.util.List;

/**
 * One push of the built image to one destination, with Jib. Jib checks which blobs the registry
 * already holds (HEAD) and uploads only the missing ones, so a repeated push uploads nothing new.
 */
final class JibPush {

  /**
   * Jib's switch for sending credentials over plain HTTP. It is process-wide; Fanout turns it on
   * only when a target allowed plain HTTP and its registry is on loopback, which the plan checks.
   */
  static final String SEND_CREDENTIALS_OVER_HTTP = "sendCredentialsOverHttp";

  private final ImageContainerizer containerizer;
  private final RunEvents events;

  JibPush(ImageContainerizer containerizer, RunEvents events) {
    this.containerizer = containerizer;
    this.events = events;
  }

  /**
   * Pushes the image under every tag.
   *
   * @param destination where to push and with which credential
   * @param tags the tags, at least one
   * @param plainHttp whether plain HTTP is allowed
   * @param subject what log lines are about
   * @param target the target's name in run events
   * @return the manifest digest the registry now holds
   * @throws Exception whatever Jib throws
   */
  String push(
      PushDestination destination,
      List<String> tags,
      boolean plainHttp,
      String subject,
      String target)
      throws Exception {
    RegistryImage image = RegistryImage.named(destination.endpoint().withQualifier(tags.get(0)));
    if (destination.credential().isPresent()) {
      RegistryCredential credential = destination.credential().get();
      image.addCredential(credential.username(), credential.secret());
      if (plainHttp && JibReferences.isLoopback(destination.endpoint().getRegistry())) {
        System.setProperty(SEND_CREDENTIALS_OVER_HTTP, "true");
      }
    }
    Containerizer registry = Containerizer.to(image).setAllowInsecureRegistries(plainHttp);
    tags.stream().skip(1).forEach(registry::withAdditionalTag);
    return containerizer.containerize(
        registry, subject, target, plainHttp, line -> events.targetLog(target, line));
  }
}
