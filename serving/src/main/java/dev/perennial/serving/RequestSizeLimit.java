package dev.perennial.serving;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses request bodies larger than {@code perennial.serving.max-request-bytes} with 413 before
 * anything parses them. {@code max-batch-rows} bounds the rows of a request, not its bytes: without
 * this a single row with a huge string would be read into memory whole.
 *
 * <p>A body that declares its Content-Length is refused up front, unread. A chunked body has no
 * length to check, so its stream is wrapped: reading past the limit throws {@link TooLarge}, the
 * JSON parse stops there, and {@link Advice} answers 413 as well. No controller sees a cut-off
 * body.
 */
final class RequestSizeLimit extends OncePerRequestFilter {
  static final String PROPERTY = "perennial.serving.max-request-bytes";

  private final long maxBytes;
  private final JsonMapper json;

  RequestSizeLimit(long maxBytes, JsonMapper json) {
    if (maxBytes <= 0) {
      throw new IllegalArgumentException(PROPERTY + ": must be positive, got " + maxBytes);
    }
    this.maxBytes = maxBytes;
    this.json = json;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long length = request.getContentLengthLong();
    if (length > maxBytes) {
      response.setStatus(HttpStatus.PAYLOAD_TOO_LARGE.value());
      response.setContentType(MediaType.APPLICATION_JSON_VALUE);
      response
          .getOutputStream()
          .write(
              json.writeValueAsBytes(
                  Map.of(
                      "error",
                      "request body is "
                          + length
                          + " bytes, more than the "
                          + maxBytes
                          + " this server accepts ("
                          + PROPERTY
                          + ")")));
      return;
    }
    // Without a Content-Length (chunked), only counting while reading can enforce the limit.
    chain.doFilter(length < 0 ? new Limited(request, maxBytes) : request, response);
  }

  /** A chunked body ran past the limit. */
  static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge(long maxBytes) {
      super(
          "request body is more than the "
              + maxBytes
              + " bytes this server accepts ("
              + PROPERTY
              + ")");
    }
  }

  /**
   * Answers {@link TooLarge} with 413, found among the causes of the exception the JSON reader
   * wraps it in. Any other unreadable body is a 400 problem saying what is wrong with it.
   */
  @RestControllerAdvice
  static final class Advice {
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<?> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof TooLarge tooLarge) {
          return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
              .body(Map.of("error", tooLarge.getMessage()));
        }
      }
      return ResponseEntity.badRequest()
          .body(
              PredictionController.problem(
                  new PredictionController.Refused(
                      HttpStatus.BAD_REQUEST,
                      "body",
                      PredictionController.unreadable(e, request.getRequestURI()))));
    }
  }

  /** The request with a body stream that fails once more than the limit has been read. */
  private static final class Limited extends HttpServletRequestWrapper {
    private final long maxBytes;
    private ServletInputStream stream;

    Limited(HttpServletRequest request, long maxBytes) {
      super(request);
      this.maxBytes = maxBytes;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        stream = new LimitedStream(super.getInputStream(), maxBytes);
      }
      return stream;
    }

    @Override
    public BufferedReader getReader() throws IOException {
      String encoding = getCharacterEncoding();
      Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }
  }

  private static final class LimitedStream extends ServletInputStream {
    private final ServletInputStream in;
    private final long maxBytes;
    private long read;

    LimitedStream(ServletInputStream in, long maxBytes) {
      this.in = in;
      this.maxBytes = maxBytes;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        counted(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = in.read(buffer, offset, length);
      if (n > 0) {
        counted(n);
      }
      return n;
    }

    private void counted(int n) throws TooLarge {
      read += n;
      if (read > maxBytes) {
        throw new TooLarge(maxBytes);
      }
    }

    @Override
    public boolean isFinished() {
      return in.isFinished();
    }

    @Override
    public boolean isReady() {
      return in.isReady();
    }

    @Override
    public void setReadListener(ReadListener listener) {
      in.setReadListener(listener);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
