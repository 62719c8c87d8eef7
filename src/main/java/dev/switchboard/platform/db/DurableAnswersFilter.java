package dev.switchboard.platform.db;

import dev.switchboard.platform.http.RequestFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Marks every HTTP request's thread as answering a client, so its H2 commits are in the file before
 * the answer.
 */
public final class DurableAnswersFilter extends RequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    try {
      DurableCommits.answering(() -> chain.doFilter(request, response));
    } catch (ServletException | IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new ServletException(e);
    }
  }
}
