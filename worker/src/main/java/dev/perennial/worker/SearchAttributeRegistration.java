package dev.perennial.worker;

import dev.perennial.workflows.PerennialSearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers Perennial's search attributes before the workers start polling, so workflows can upsert
 * them. Servers that do not allow it (e.g. a cloud namespace without operator rights) get a warning
 * naming the attributes an operator must add.
 */
final class SearchAttributeRegistration {
  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  private SearchAttributeRegistration() {}

  static void register(WorkflowServiceStubs service, String namespace) {
    Map<String, IndexedValueType> wanted =
        PerennialSearchAttributes.ALL.stream()
            .collect(
                Collectors.toMap(
                    k -> k.getName(), k -> IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(service.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      // Added one at a time: servers refuse a batch holding one that exists, and the Java test
      // server has no ListSearchAttributes to ask first.
      for (Map.Entry<String, IndexedValueType> attribute : wanted.entrySet()) {
        try {
          operator
              .blockingStub()
              .addSearchAttributes(
                  AddSearchAttributesRequest.newBuilder()
                      .setNamespace(namespace)
                      .putSearchAttributes(attribute.getKey(), attribute.getValue())
                      .build());
          log.info("Registered search attribute {} in namespace {}", attribute.getKey(), namespace);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.ALREADY_EXISTS) {
            throw e;
          }
        }
      }
    } catch (StatusRuntimeException e) {
      log.warn(
          "Could not register search attributes {} in namespace {} ({}); ask an operator to run:"
              + " temporal operator search-attribute create --namespace {} {}",
          wanted.keySet(),
          namespace,
          e.getStatus(),
          namespace,
          wanted.keySet().stream()
              .map(n -> "--name " + n + " --type Keyword")
              .collect(Collectors.joining(" ")));
    } finally {
      operator.shutdown();
    }
  }
}
