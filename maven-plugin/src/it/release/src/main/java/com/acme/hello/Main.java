package com.acme.hello;

/** The seed case's app. */
public final class Main {
  private Main() {}

  /** Says hello. */
  public static void main(String[] args) {
    System.out.println("hello");
  }
}
