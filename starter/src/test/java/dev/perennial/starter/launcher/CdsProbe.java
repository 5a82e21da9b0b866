package dev.perennial.starter.launcher;

/**
 * The program {@link CdsJavaTest} runs through the launcher: one line, then the exit code asked.
 */
public final class CdsProbe {
  private CdsProbe() {}

  public static void main(String[] args) {
    System.out.println("probe ok");
    System.exit(Integer.parseInt(args[0]));
  }
}
