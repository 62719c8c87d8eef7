package dev.switchboard.storage;

import dev.switchboard.platform.http.ApiException;
import dev.switchboard.platform.http.ErrorBody;
import dev.switchboard.platform.http.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The store being unreachable is not the client's fault and usually passes: 503 {@code
 * storage_unavailable} with {@code Retry-After}, and nothing changed (a complete that could not
 * reach the store leaves the file pending).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE) // before the platform's catch-all handler, which would answer a
// generic 500
public class StorageErrors {

  private static final Logger log = LoggerFactory.getLogger(StorageErrors.class);

  private final ErrorResponses errors;

  public StorageErrors(ErrorResponses errors) {
    this.errors = errors;
  }

  @ExceptionHandler(StorageException.class)
  ResponseEntity<ErrorBody> unavailable(HttpServletRequest request, StorageException e) {
    log.warn("File store call failed: {}", e.getMessage());
    return errors.entity(
        request,
        new ApiException(
            503,
            "storage_unavailable",
            "The file store could not be reached; try again shortly.",
            true,
            null,
            Map.of("Retry-After", "5")));
  }
}
