package it.worker;

/** The worker module's main class: a second image of the reactor, pushed in parallel with -T. */
public final class Main {
  private Main() {}

  /** Prints the library's greeting, as the worker. */
  public static void main(String[] args) {
    System.out.println(it.lib.Greeting.text() + ", from the worker");
  }
}
