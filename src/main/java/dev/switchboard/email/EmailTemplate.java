package dev.switchboard.email;

import com.samskivert.mustache.Template;
import dev.switchboard.platform.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One resolved template: its parts for one locale and the variables it requires. HTML parts escape
 * values; the subject and the text part do not (they are not HTML), but the subject is folded onto
 * one line so a value cannot add mail headers.
 */
public final class EmailTemplate {

  /** Largest value of one variable, in UTF-8 bytes (nested values: their text content). */
  public static final int MAX_VALUE_BYTES = 10 * 1024;

  /** Largest total of all variables. */
  public static final int MAX_TOTAL_BYTES = 64 * 1024;

  private final String id;
  private final String lang;
  private final List<String> required;
  private final Template subject;
  private final Template text;
  private final Template html;
  private final Template layout;

  EmailTemplate(
      String id,
      String lang,
      List<String> required,
      Template subject,
      Template text,
      Template html,
      Template layout) {
    this.id = id;
    this.lang = lang;
    this.required = List.copyOf(required);
    this.subject = subject;
    this.text = text;
    this.html = html;
    this.layout = layout;
  }

  public String id() {
    return id;
  }

  /** The variables every send must give, as strings. */
  public List<String> requiredVariables() {
    return required;
  }

  /**
   * Checks variables before anything is stored.
   *
   * @param variables the caller's variables; values are strings, numbers, booleans, or lists and
   *     objects for sections
   * @param field where the variables sit in the request ({@code variables}, {@code
   *     recipients[3].variables}), for the error's {@code field}
   * @throws ApiException 400 {@code missing_template_variable}, {@code invalid_template_variable}
   *     or {@code template_variables_too_large}, naming the variable
   */
  public void check(Map<String, ?> variables, String field) {
    for (String name : required) {
      Object value = variables.get(name);
      if (value == null || (value instanceof String s && s.isBlank())) {
        throw invalid(
            "missing_template_variable",
            "Template '" + id + "' needs the variable '" + name + "'.",
            field + "." + name);
      }
      if (!(value instanceof String || value instanceof Number)) {
        throw invalid(
            "invalid_template_variable",
            "The variable '" + name + "' of template '" + id + "' must be a string.",
            field + "." + name);
      }
      // Links are rendered into href attributes: escaping stops breaking out of the attribute, not
      // javascript: URLs.
      if (name.endsWith("Url") && !String.valueOf(value).matches("(?i)^https?://\\S+$")) {
        throw invalid(
            "invalid_template_variable",
            "The variable '"
                + name
                + "' of template '"
                + id
                + "' must be an http:// or https:// URL.",
            field + "." + name);
      }
    }
    long total = 0;
    for (Map.Entry<String, ?> entry : variables.entrySet()) {
      long size = size(entry.getValue());
      if (size > MAX_VALUE_BYTES) {
        throw invalid(
            "template_variables_too_large",
            "The variable '"
                + printable(entry.getKey())
                + "' is larger than "
                + MAX_VALUE_BYTES
                + " bytes.",
            field + "." + printable(entry.getKey()));
      }
      total += size + entry.getKey().length();
      if (total > MAX_TOTAL_BYTES) {
        throw invalid(
            "template_variables_too_large",
            "The variables are larger than " + MAX_TOTAL_BYTES + " bytes in all.",
            field);
      }
    }
  }

  /**
   * Renders all three parts; call {@link #check} first. Missing optional variables render as
   * nothing.
   */
  public RenderedEmail render(Map<String, ?> variables) {
    String renderedSubject = subject.execute(variables).replaceAll("[\\r\\n\\t]+", " ").strip();
    String body = html.execute(variables);
    Map<String, Object> page = new HashMap<>(variables);
    page.put("content", body);
    page.put("subject", renderedSubject);
    page.put("lang", lang);
    return new RenderedEmail(renderedSubject, text.execute(variables), layout.execute(page));
  }

  /** A 400 naming the variable (or the variables) at {@code field}. */
  private static ApiException invalid(String code, String message, String field) {
    return new ApiException(400, code, message, false, field, Map.of());
  }

  private static long size(Object value) {
    if (value instanceof Map<?, ?> map) {
      long sum = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        sum += String.valueOf(e.getKey()).length() + size(e.getValue());
      }
      return sum;
    }
    if (value instanceof List<?> list) {
      return list.stream().mapToLong(EmailTemplate::size).sum() + list.size();
    }
    return value == null ? 0 : String.valueOf(value).getBytes(StandardCharsets.UTF_8).length;
  }

  static String printable(String value) {
    String cleaned = value.replaceAll("\\p{Cntrl}", "?");
    return cleaned.length() > 60 ? cleaned.substring(0, 60) + "…" : cleaned;
  }
}
