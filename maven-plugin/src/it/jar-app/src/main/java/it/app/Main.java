package it.app;

/** The sample app: prints its greeting. */
public final class Main {
  private Main() {}

  /** Prints the greeting from the resources. */
  public static void main(String[] args) throws Exception {
    try (var in = Main.class.getResourceAsStream("/greeting.txt")) {
      System.out.println(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
