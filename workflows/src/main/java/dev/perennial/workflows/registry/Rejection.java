package dev.perennial.workflows.registry;

/**
 * Why an approved version was withdrawn after registration, e.g. by a canary that breached a
 * threshold. Input of {@link RegistryActivities#reject} and part of the version's record.
 *
 * @param model model name
 * @param version the version withdrawn
 * @param reason what it did wrong, in words
 * @param actor who or what decided: a workflow id or a user name
 * @param time ISO-8601 instant, set by the registry
 */
public record Rejection(String model, int version, String reason, String actor, String time) {}
