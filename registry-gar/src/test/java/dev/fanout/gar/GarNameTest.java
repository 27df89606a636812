package dev.fanout.gar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.cloud.tools.jib.api.ImageReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("An Artifact Registry name")
class GarNameTest {

  private static GarName name(String reference) throws Exception {
    GarName.Parsed parsed = GarName.parse(ImageReference.parse(reference));
    return parsed.name().orElseThrow(() -> new AssertionError(parsed.problem().orElseThrow()));
  }

  private static String problem(String reference) throws Exception {
    return GarName.parse(ImageReference.parse(reference)).problem().orElseThrow();
  }

  @Test
  @DisplayName("on LOCATION-docker.pkg.dev names location, project, repository and image")
  void dockerPkgDev() throws Exception {
    assertEquals(
        new GarName("europe-docker.pkg.dev", "europe", "acme", "images", "app"),
        name("europe-docker.pkg.dev/acme/images/app"));
    assertEquals(
        new GarName("us-central1-docker.pkg.dev", "us-central1", "acme", "images", "team/app"),
        name("us-central1-docker.pkg.dev/acme/images/team/app"));
  }

  @Test
  @DisplayName("on gcr.io hosts names the repository after the host, in the host's multi-region")
  void gcrIo() throws Exception {
    assertEquals(new GarName("gcr.io", "us", "acme", "gcr.io", "app"), name("gcr.io/acme/app"));
    assertEquals(
        new GarName("us.gcr.io", "us", "acme", "us.gcr.io", "app"), name("us.gcr.io/acme/app"));
    assertEquals(
        new GarName("eu.gcr.io", "europe", "acme", "eu.gcr.io", "tools/app"),
        name("eu.gcr.io/acme/tools/app"));
    assertEquals(
        new GarName("asia.gcr.io", "asia", "acme", "asia.gcr.io", "app"),
        name("asia.gcr.io/acme/app"));
  }

  @Test
  @DisplayName("reads a domain-scoped project written with a slash as domain:project")
  void domainScopedProject() throws Exception {
    GarName name = name("europe-docker.pkg.dev/example.com/acme/images/app");
    assertEquals("example.com:acme", name.project());
    assertEquals("images", name.repository());
    assertEquals(
        "projects/example.com:acme/locations/europe/repositories/images",
        name.repositoryResource());
    assertEquals("example.com:acme", name("gcr.io/example.com/acme/app").project());
  }

  @Test
  @DisplayName("gives the API resource and the gcloud commands for the repository")
  void resourceAndCommands() throws Exception {
    GarName name = name("gcr.io/acme/app");
    assertEquals("projects/acme/locations/us/repositories/gcr.io", name.repositoryResource());
    assertEquals(
        "gcloud artifacts repositories create gcr.io --repository-format=docker --location=us"
            + " --project=acme",
        name.createCommand());
    assertEquals(
        "gcloud artifacts repositories add-iam-policy-binding gcr.io --location=us --project=acme"
            + " --member=serviceAccount:ci@acme.iam.gserviceaccount.com"
            + " --role=roles/artifactregistry.writer",
        name.grantWriterCommand("serviceAccount:ci@acme.iam.gserviceaccount.com"));
  }

  @Test
  @DisplayName("refuses hosts that take no pushes and paths without an image in a repository")
  void problems() throws Exception {
    assertTrue(
        problem("mirror.gcr.io/library/busybox")
            .startsWith("mirror.gcr.io is not an Artifact Registry host"));
    assertTrue(
        problem("europe-docker.pkg.dev/acme/images")
            .contains("names no image inside a repository"));
    assertTrue(problem("gcr.io/acme").contains("names no image inside a repository"));
    assertTrue(problem("europe-docker.pkg.dev/example.com/acme/images").contains("names no image"));
  }
}
