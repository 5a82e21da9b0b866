package dev.perennial.serving;

import dev.perennial.serving.ServingProperties.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets a request to {@code /v1/**} through only with an API key of the scope its endpoint {@link
 * Needs}: {@code Authorization: Bearer <key>}, or {@code X-API-Key: <key>}. No key or an unknown
 * one is answered 401 with {@code WWW-Authenticate: Bearer}, a known key without the scope 403
 * naming the scope (RFC 6750's {@code invalid_token} and {@code insufficient_scope}); both as RFC
 * 9457 problems like every other refusal of this server, before the body is read.
 *
 * <p>Each refusal counts in {@code perennial.serving.auth.refused} by reason ({@code missing},
 * {@code unknown}, {@code scope}), scope and key name (the configured name, {@code none} when no
 * key matched). Secrets are neither logged nor counted.
 *
 * <p>With {@code perennial.serving.auth.enabled=false} the check is not installed and says so at
 * start-up.
 */
@Component
final class ApiKeyCheck implements HandlerInterceptor, WebMvcConfigurer {
  private static final Logger log = LoggerFactory.getLogger(ApiKeyCheck.class);
  static final String API_KEY_HEADER = "X-API-Key";
  static final String REALM = "Bearer realm=\"perennial-serving\"";

  /** The scope an endpoint needs; an endpoint under {@code /v1} without it takes any valid key. */
  @Target(ElementType.METHOD)
  @Retention(RetentionPolicy.RUNTIME)
  @interface Needs {
    Scope value();
  }

  private final boolean enabled;
  private final ApiKeys keys;
  private final MeterRegistry meters;

  ApiKeyCheck(ServingProperties properties, MeterRegistry meters) {
    ServingProperties.Auth auth = properties.serving().auth();
    this.enabled = auth.enabled();
    this.keys = ApiKeys.of(auth);
    this.meters = meters;
    if (enabled) {
      log.info(
          "predict and feedback need an API key; keys: {}",
          auth.keys().stream()
              .map(
                  k ->
                      k.name()
                          + " ("
                          + k.scopes().stream().map(Scope::label).sorted().toList()
                          + ")")
              .collect(Collectors.joining(", ")));
    } else {
      log.warn(
          "{}.enabled=false: predict and feedback answer anyone who can reach this server",
          ApiKeys.PREFIX);
    }
  }

  @Override
  public void addInterceptors(InterceptorRegistry registry) {
    if (enabled) {
      registry.addInterceptor(this).addPathPatterns("/v1/**");
    }
  }

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    Scope needed =
        handler instanceof HandlerMethod method && method.hasMethodAnnotation(Needs.class)
            ? method.getMethodAnnotation(Needs.class).value()
            : null;
    String scope = needed == null ? "any" : needed.label();
    String presented = presented(request);
    if (presented == null) {
      throw refused(
          "missing",
          "none",
          scope,
          new Refusal(
              HttpStatus.UNAUTHORIZED,
              REALM,
              "this endpoint needs an API key: send Authorization: Bearer <key> (or "
                  + API_KEY_HEADER
                  + ": <key>)",
              null));
    }
    Optional<ApiKeys.Holder> holder = keys.find(presented);
    if (holder.isEmpty()) {
      throw refused(
          "unknown",
          "none",
          scope,
          new Refusal(
              HttpStatus.UNAUTHORIZED,
              REALM + ", error=\"invalid_token\"",
              "the API key is not one this server accepts",
              null));
    }
    if (needed != null && !holder.get().scopes().contains(needed)) {
      throw refused(
          "scope",
          holder.get().name(),
          scope,
          new Refusal(
              HttpStatus.FORBIDDEN,
              REALM + ", error=\"insufficient_scope\", scope=\"" + scope + "\"",
              "the API key '"
                  + holder.get().name()
                  + "' lacks the scope '"
                  + scope
                  + "' this endpoint needs",
              scope));
    }
    return true;
  }

  private Refusal refused(String reason, String key, String scope, Refusal refusal) {
    meters
        .counter("perennial.serving.auth.refused", "reason", reason, "scope", scope, "key", key)
        .increment();
    log.debug("refused {} (reason {}, key {})", scope, reason, key);
    return refusal;
  }

  /** The key the request carries, null if none. */
  private static String presented(HttpServletRequest request) {
    String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (authorization != null) {
      // RFC 6750: the scheme is case-insensitive; any other scheme presents no bearer key.
      if (authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        String token = authorization.substring(7).trim();
        return token.isEmpty() ? null : token;
      }
      return null;
    }
    String apiKey = request.getHeader(API_KEY_HEADER);
    return apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
  }

  /** A request without a key of the scope its endpoint needs. */
  static final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final HttpStatus status;
    final String challenge;
    final String scope;

    Refusal(HttpStatus status, String challenge, String message, String scope) {
      super(message, null, false, false);
      this.status = status;
      this.challenge = challenge;
      this.scope = scope;
    }
  }

  /** Answers a {@link Refusal} as the controller answers its refusals, plus the challenge. */
  @RestControllerAdvice
  static final class Advice {
    @ExceptionHandler(Refusal.class)
    ResponseEntity<ProblemDetail> refused(Refusal e) {
      ProblemDetail problem =
          PredictionController.problem(new PredictionController.Refused(e.status, e.getMessage()));
      if (e.scope != null) {
        problem.setProperty("scope", e.scope);
      }
      return ResponseEntity.status(e.status)
          .header(HttpHeaders.WWW_AUTHENTICATE, e.challenge)
          .body(problem);
    }
  }
}
