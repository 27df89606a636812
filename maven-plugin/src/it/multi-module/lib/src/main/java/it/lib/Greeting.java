package it.lib;

/** The library module's part of the sample. */
public final class Greeting {
  private Greeting() {}

  /** The greeting. */
  public static String text() {
    return "hello from the multi-module app";
  }
}
