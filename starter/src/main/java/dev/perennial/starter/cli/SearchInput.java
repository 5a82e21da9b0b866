package dev.perennial.starter.cli;

import dev.perennial.workflows.search.HyperparameterSearch;

/**
 * The {@code --search} of {@code train}: a {@link HyperparameterSearch}; the ranges' rules are
 * checked with the rest of the request.
 */
final class SearchInput extends PolicyInput<HyperparameterSearch> {
  SearchInput() {
    super(HyperparameterSearch.class, "hyperparameter search");
  }
}
