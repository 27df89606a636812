package it.based;

/** Prints a line; the test reads the image's config, not this output. */
public final class Main {

  private Main() {}

  public static void main(String[] args) {
    System.out.println("hello from an app on a registry base image");
  }
}
