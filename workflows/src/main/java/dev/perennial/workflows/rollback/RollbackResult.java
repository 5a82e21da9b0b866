package dev.perennial.workflows.rollback;

/**
 * Result of a rollback.
 *
 * @param model model name
 * @param previousChampion the champion before, null if there was none
 * @param champion the champion now
 * @param message one line for people
 */
public record RollbackResult(
    String model, Integer previousChampion, int champion, String message) {}
