package com.acme.hello;

/** The app the release pipeline ships. */
public final class Main {
  private Main() {}

  /**
   * Says hello, and which version of the app this is when the image sets {@code APP_VERSION}.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    System.out.println(
        "hello from fanout-hello " + System.getenv().getOrDefault("APP_VERSION", ""));
  }
}
