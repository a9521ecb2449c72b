package dev.sluice.controller.cli;

/** Entry point of {@code sluice.jar}; its subcommands are the CLI. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("sluice");
  }
}
