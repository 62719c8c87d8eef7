package dev.switchboard.email;

import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import dev.switchboard.platform.http.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The email templates: built-in ones under {@code email-templates/} on the classpath and the
 * operator's in {@code EMAIL_TEMPLATES_DIR}. A folder named after a template in that directory
 * replaces the built-in template as a whole; new folders add templates. Layout per template: {@code
 * template.properties} ({@code required=a,b}), {@code subject.mustache}, {@code text.mustache},
 * {@code html.mustache}, each optionally under a locale folder ({@code fr-CA/}, {@code fr/}) that
 * wins over the default; {@code _layout/html.mustache} wraps every HTML part. Files are compiled
 * once and compiled again when their modification time or size changes, so edits apply without a
 * restart.
 */
public final class EmailTemplates {

  static final String CLASSPATH_ROOT = "email-templates/";
  static final String LAYOUT = "_layout";
  private static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9_-]{0,63}$");
  private static final Pattern LOCALE =
      Pattern.compile("^[A-Za-z]{2,8}([-_][A-Za-z0-9]{1,8}){0,3}$");

  private final Optional<Path> dir;
  private final ClassLoader classLoader = EmailTemplates.class.getClassLoader();
  private final Map<String, Cached<?>> cache = new ConcurrentHashMap<>();
  private final Mustache.Compiler htmlCompiler = Mustache.compiler().defaultValue("");
  private final Mustache.Compiler plainCompiler = htmlCompiler.escapeHTML(false);

  /**
   * @param dir the operator's templates directory; it need not exist (then only built-in templates
   *     are there)
   */
  public EmailTemplates(Optional<Path> dir) {
    this.dir = dir.map(d -> d.toAbsolutePath().normalize());
  }

  /**
   * Resolves a template for a locale.
   *
   * @param id the template id, e.g. {@code welcome}
   * @param locale a BCP 47 tag such as {@code fr-CA}; falls back to {@code fr}, then the default
   *     parts
   * @throws ApiException 400 {@code unknown_template} (field {@code template}) or 400 {@code
   *     validation_failed} (field {@code locale})
   */
  public EmailTemplate template(String id, Optional<String> locale) {
    if (locale.isPresent() && !LOCALE.matcher(locale.get()).matches()) {
      throw ApiException.invalidField(
          "locale", "locale must be a language tag such as en, fr or fr-CA");
    }
    if (id == null || !ID.matcher(id).matches()) {
      throw unknown(id);
    }
    boolean fromDir = dir.isPresent() && Files.isDirectory(dir.get().resolve(id));
    if (!fromDir && classLoader.getResource(CLASSPATH_ROOT + id + "/subject.mustache") == null) {
      throw unknown(id);
    }
    List<String> chain = localeChain(locale.orElse(""));
    Template subject = part(fromDir, id, chain, "subject.mustache", plainCompiler);
    Template text = part(fromDir, id, chain, "text.mustache", plainCompiler);
    Template html = part(fromDir, id, chain, "html.mustache", htmlCompiler);
    boolean ownLayout =
        dir.isPresent() && Files.isRegularFile(dir.get().resolve(LAYOUT).resolve("html.mustache"));
    Template layout = part(ownLayout, LAYOUT, List.of(""), "html.mustache", htmlCompiler);
    List<String> required =
        load(fromDir, id + "/template.properties", EmailTemplates::requiredVariables)
            .orElse(List.of());
    String lang = chain.get(0).isEmpty() ? "en" : chain.get(0);
    return new EmailTemplate(id, lang, required, subject, text, html, layout);
  }

  /**
   * Every template id a send may name, built-in and the operator's, sorted; the layout is not one.
   */
  public List<String> names() {
    TreeSet<String> names = new TreeSet<>();
    try {
      var resolver = new PathMatchingResourcePatternResolver(classLoader);
      for (var resource :
          resolver.getResources("classpath*:" + CLASSPATH_ROOT + "*/subject.mustache")) {
        String url = resource.getURL().toString();
        String[] parts = url.split("/");
        names.add(parts[parts.length - 2]);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the built-in templates", e);
    }
    if (dir.isPresent() && Files.isDirectory(dir.get())) {
      try (var children = Files.list(dir.get())) {
        children
            .filter(d -> Files.isRegularFile(d.resolve("subject.mustache")))
            .map(d -> d.getFileName().toString())
            .forEach(names::add);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + dir.get(), e);
      }
    }
    names.removeIf(n -> n.equals(LAYOUT) || !ID.matcher(n).matches());
    return List.copyOf(names);
  }

  /** {@code fr-CA} → {@code [fr-CA, fr, ""]}; the empty string stands for the default parts. */
  static List<String> localeChain(String locale) {
    List<String> chain = new ArrayList<>();
    if (!locale.isBlank()) {
      String tag = Locale.forLanguageTag(locale.replace('_', '-')).toLanguageTag();
      String[] pieces = tag.split("-");
      for (int n = pieces.length; n >= 1; n--) {
        chain.add(String.join("-", Arrays.copyOf(pieces, n)));
      }
    }
    chain.add("");
    return List.copyOf(chain);
  }

  private Template part(
      boolean fromDir, String id, List<String> chain, String name, Mustache.Compiler compiler) {
    for (String locale : chain) {
      String relative = id + "/" + (locale.isEmpty() ? "" : locale + "/") + name;
      Optional<Template> template =
          load(fromDir, relative, text -> compiler.compile(new StringReader(text)));
      if (template.isPresent()) {
        return template.get();
      }
    }
    throw new IllegalStateException(
        "template "
            + id
            + " has no "
            + name
            + (fromDir ? " in " + dir.get() : " on the classpath"));
  }

  /** Reads and converts a file, or returns the cached result while the file is unchanged. */
  @SuppressWarnings("unchecked")
  private <T> Optional<T> load(boolean fromDir, String relative, Function<String, T> convert) {
    String key = (fromDir ? "dir:" : "cp:") + relative;
    long version;
    if (fromDir) {
      Path file = dir.get().resolve(relative);
      try {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        version = attributes.lastModifiedTime().toMillis() * 31 + attributes.size();
      } catch (IOException e) {
        cache.remove(key);
        return Optional.empty();
      }
    } else {
      version = 0;
    }
    Cached<?> cached = cache.get(key);
    if (cached != null && cached.version() == version) {
      return Optional.of((T) cached.value());
    }
    Optional<String> text =
        fromDir ? readFile(dir.get().resolve(relative)) : readResource(CLASSPATH_ROOT + relative);
    Optional<T> value = text.map(convert);
    value.ifPresent(v -> cache.put(key, new Cached<>(version, v)));
    return value;
  }

  private static Optional<String> readFile(Path file) {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private Optional<String> readResource(String name) {
    URL url = classLoader.getResource(name);
    if (url == null) {
      return Optional.empty();
    }
    try (InputStream in = url.openStream()) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read built-in template " + name, e);
    }
  }

  private static List<String> requiredVariables(String text) {
    Properties properties = new Properties();
    try {
      properties.load(new StringReader(text));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Arrays.stream(properties.getProperty("required", "").split(","))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  private ApiException unknown(String id) {
    String shown = id == null ? "" : EmailTemplate.printable(id);
    return new ApiException(
        400,
        "unknown_template",
        "There is no email template '"
            + shown
            + "'. Templates: "
            + String.join(", ", names())
            + " (GET /api/email/templates lists their variables).",
        false,
        "template",
        Map.of());
  }

  private record Cached<T>(long version, T value) {}
}
