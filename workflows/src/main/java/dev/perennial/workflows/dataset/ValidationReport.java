package dev.perennial.workflows.dataset;

import dev.perennial.workflows.ObjectRef;
import java.util.List;

/**
 * Outcome of dataset validation. The full per-column report lives in S3.
 *
 * @param passed true when no hard rule is broken
 * @param rows rows read
 * @param violations every broken hard rule, each a sentence naming the column and the numbers
 * @param warnings notable but allowed findings
 * @param report the full JSON report
 */
public record ValidationReport(
    boolean passed, long rows, List<String> violations, List<String> warnings, ObjectRef report) {}
