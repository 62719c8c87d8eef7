package dev.switchboard.platform.http;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors the servlet container handles itself (thrown in a filter, rejected before MVC) land here
 * and get the same error shape as everything else.
 */
@RestController
public class JsonErrorController implements ErrorController {

  private final ErrorResponses errors;

  public JsonErrorController(ErrorResponses errors) {
    this.errors = errors;
  }

  @RequestMapping("/error")
  ResponseEntity<ErrorBody> error(HttpServletRequest request) {
    Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    if (!(statusAttribute instanceof Integer)) {
      // Requested directly, not forwarded by the container: nothing failed, so nothing is reported.
      return errors.entity(request, new ApiException(404, "not_found", "Not found."));
    }
    int status = (Integer) statusAttribute;
    Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
    if (exception instanceof ApiException api) {
      return errors.entity(request, api);
    }
    if (status >= 500) {
      return errors.unexpected(
          request,
          exception instanceof Throwable t ? t : new IllegalStateException("status " + status));
    }
    return errors.entity(
        request,
        new ApiException(
            status, ContainerErrors.codeFor(status), ContainerErrors.messageFor(status)));
  }
}
