package dev.perennial.starter.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.perennial.workflows.search.HyperparameterSearch;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The {@code --search} of {@code train}: a {@link HyperparameterSearch} as one JSON object, inline
 * or as {@code @file.json}. A field a search does not have is a usage error, so a typo is not
 * silently dropped; the ranges' rules are checked with the rest of the request.
 */
final class SearchInput implements ITypeConverter<HyperparameterSearch> {
  @Override
  public HyperparameterSearch convert(String value) {
    var node = new PipelineInput.Converter().convert(value);
    try {
      return PipelineInput.JSON
          .copy()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .treeToValue(node, HyperparameterSearch.class);
    } catch (UnrecognizedPropertyException e) {
      throw new TypeConversionException(
          "unknown field '"
              + e.getPropertyName()
              + "' in "
              + e.getPathReference().replace("dev.perennial.workflows.search.", "")
              + " (known: "
              + String.join(", ", e.getKnownPropertyIds().stream().map(String::valueOf).toList())
              + ")");
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new TypeConversionException(
          "not a hyperparameter search: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
  }
}
