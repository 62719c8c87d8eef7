package dev.switchboard.platform.http;

import dev.switchboard.platform.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's own error page, replaced: requests Tomcat refuses before any servlet or filter runs (a
 * NUL or an encoded slash in the path, bytes no URI allows, a request line or headers over the
 * limit, an unknown HTTP version or transfer coding) get the JSON error shape instead of an HTML
 * page. Errors our code answers never reach here.
 */
public class JsonErrorReportValve extends ErrorReportValve {

  private static final Logger log = LoggerFactory.getLogger(JsonErrorReportValve.class);

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean(true);
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    Object known = request.getAttribute(RequestIds.ATTRIBUTE);
    String requestId = known == null ? RequestIds.newId() : known.toString();
    ErrorBody body =
        new ErrorBody(
            status,
            ContainerErrors.codeFor(status),
            ContainerErrors.messageFor(status),
            requestId,
            null);
    log.debug("Refused by the servlet container with {} (requestId={})", status, requestId);
    try {
      response.setContentType("application/json");
      response.setCharacterEncoding("UTF-8");
      response.setHeader(RequestIds.HEADER, requestId);
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(Json.MAPPER.writeValueAsString(body));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      log.debug("Could not write the error body: {}", e.toString());
    }
  }
}
