package dev.perennial.core.training;

/**
 * Encoded training rows.
 *
 * @param x one row per example, columns as {@link #names}
 * @param y label per row, 0 or 1
 * @param names the encoded columns' names (for categories one-hot, {@code feature=category})
 * @param seed the run's seed; Smile's generator on the fitting thread is already seeded with it
 */
public record TrainingData(double[][] x, int[] y, String[] names, long seed) {}
