package dev.perennial.serving.bench;

import java.util.Map;
import org.springframework.context.annotation.Profile;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The yardstick {@link PredictBenchmark} measures predict against: an endpoint in the same server,
 * behind the same filters, that takes the same JSON body and answers a small map without scoring or
 * logging anything. Only in the {@value PredictBenchmark#PROFILE} profile, so the tests' servers,
 * whose component scan also finds this class, do not get it.
 */
@RestController
@Profile(PredictBenchmark.PROFILE)
class NoopController {

  @PostMapping("/v1/bench/noop")
  Map<String, Object> noop(@RequestBody Object body) {
    return Map.of("fields", body instanceof Map<?, ?> object ? object.size() : 0);
  }
}
