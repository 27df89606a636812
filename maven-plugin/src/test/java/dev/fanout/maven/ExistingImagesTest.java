package dev.fanout.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Environment;
import dev.fanout.ImageSource;
import dev.fanout.testkit.OciLayouts;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExistingImagesTest {

  @TempDir Path folder;

  private final List<String> problems = new ArrayList<>();

  @Test
  @DisplayName(
      "<ociLayout> becomes an OCI layout source, with <ociLayoutRefName> picking one of its"
          + " images; a name the layout does not hold is a plan problem")
  void ociLayout() {
    OciLayouts.Layout layout = OciLayouts.singleManifest(folder.resolve("layout"));

    ImageSource whole = describe(layout(layout.path().toFile(), null)).orElseThrow();
    ImageSource named = describe(layout(layout.path().toFile(), layout.refName())).orElseThrow();
    ImageSource wrongName = describe(layout(layout.path().toFile(), "absent:9")).orElseThrow();

    assertEquals(List.of(), problems);
    assertEquals("OCI layout " + layout.path(), whole.toString());
    assertEquals(List.of(), whole.problems());
    assertEquals("OCI layout " + layout.path() + " (" + layout.refName() + ")", named.toString());
    assertEquals(List.of(), named.problems());
    assertEquals(1, wrongName.problems().size(), wrongName.problems().toString());
    assertTrue(wrongName.problems().get(0).contains("absent:9"), wrongName.problems().toString());
  }

  @Test
  @DisplayName(
      "a missing layout, a ref name without a layout, two sources at once and image settings"
          + " beside one are problems, reported together")
  void problems() {
    describe(layout(folder.resolve("absent").toFile(), null));
    describe(new ExistingImageParameters(null, null, "app:1", null));
    RegistryImageParameters copy = registry("127.0.0.1:5000/acme/app:1", true);
    new ExistingImages(credentials(new Settings()), Environment.of(Map.of()))
        .describe(
            new ExistingImageParameters(null, folder.toFile(), null, copy), true, problems);
    describe(new ExistingImageParameters(null, null, null, new RegistryImageParameters()));

    assertEquals(
        List.of(
            "<ociLayout> " + folder.resolve("absent") + " does not exist",
            "<ociLayoutRefName> names an image of an <ociLayout>, and none is given",
            "<ociLayout>, <registryImage>: give one image to push as it is, not 2",
            "<ociLayout>, <registryImage> is pushed as it is: <from>, <mainClass>, <entrypoint>,"
                + " <jvmFlags>, <ports>, <labels>, <environment> and <platforms> do not apply to"
                + " it",
            "<registryImage> has no <image>"),
        problems);
  }

  @Test
  @DisplayName(
      "<registryImage> over plain HTTP is a copy from a loopback registry; from a remote one the"
          + " plan refuses it, since its pull credential would cross the network unencrypted")
  void registryImage() {
    ExistingImages images =
        new ExistingImages(credentials(new Settings()), Environment.of(Map.of()));

    Optional<ProjectImage.Described> loopback =
        images.describe(
            new ExistingImageParameters(
                null, null, null, registry("127.0.0.1:5000/acme/app:1", true)),
            false,
            problems);
    Optional<ProjectImage.Described> remote =
        images.describe(
            new ExistingImageParameters(null, null, null, registry("registry.example/app:1", true)),
            false,
            problems);

    assertEquals(List.of(), problems);
    assertEquals("registry image 127.0.0.1:5000/acme/app:1", loopback.orElseThrow().summary());
    assertEquals(List.of(), loopback.orElseThrow().source().problems());
    List<String> refused = remote.orElseThrow().source().problems();
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("registry.example"), refused.toString());
  }

  private Optional<ImageSource> describe(ExistingImageParameters existing) {
    return new ExistingImages(credentials(new Settings()), Environment.of(Map.of()))
        .describe(existing, false, problems)
        .map(ProjectImage.Described::source);
  }

  private static ExistingImageParameters layout(File layout, String refName) {
    return new ExistingImageParameters(null, layout, refName, null);
  }

  private static RegistryImageParameters registry(String image, boolean plainHttp) {
    RegistryImageParameters parameters = new RegistryImageParameters();
    parameters.image = image;
    parameters.plainHttp = plainHttp;
    return parameters;
  }

  private static PomCredentials credentials(Settings settings) {
    return new PomCredentials(new SettingsServers(settings, null));
  }
}
