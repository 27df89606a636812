package it.multi;

/** The app module's main class. */
public final class Main {
  private Main() {}

  /** Prints the library's greeting. */
  public static void main(String[] args) {
    System.out.println(it.lib.Greeting.text());
  }
}
