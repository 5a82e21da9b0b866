package dev.perennial.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * Search attributes Perennial's workflows set, so runs can be filtered by model and trigger in the
 * Temporal UI. The worker registers them at start-up where the server allows it.
 */
public final class PerennialSearchAttributes {
  public static final SearchAttributeKey<String> MODEL =
      SearchAttributeKey.forKeyword("PerennialModel");
  public static final SearchAttributeKey<String> TRIGGER =
      SearchAttributeKey.forKeyword("PerennialTrigger");
  public static final SearchAttributeKey<String> STAGE =
      SearchAttributeKey.forKeyword("PerennialStage");

  /** All keys, for registration. */
  public static final List<SearchAttributeKey<String>> ALL = List.of(MODEL, TRIGGER, STAGE);

  private PerennialSearchAttributes() {}
}
