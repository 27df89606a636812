package dev.fanout.gar;

import dev.fanout.spi.RegistryBackend;

/**
 * Pushes to Google Artifact Registry with the credential the target names, else Docker's {@code
 * config.json}. Tokens from google-auth and the repository check are the subject of their own
 * issue.
 */
final class GarBackend implements RegistryBackend {}
