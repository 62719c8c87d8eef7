package dev.switchboard.auth;

import dev.switchboard.platform.integrations.HealthResult;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Supplier;

/** A provider whose code exchanges answer from a script; records what the flow handed it. */
class ScriptedOAuthProvider implements OAuthProvider {

  final String id;
  final Deque<Supplier<ProviderProfile>> answers = new ArrayDeque<>();
  final List<OAuthRequest> started = new ArrayList<>();
  final List<String> exchangedCodes = new ArrayList<>();

  ScriptedOAuthProvider(String id) {
    this.id = id;
  }

  ScriptedOAuthProvider answer(ProviderProfile profile) {
    answers.add(() -> profile);
    return this;
  }

  ScriptedOAuthProvider fail(String code, int status) {
    answers.add(
        () -> {
          throw new AuthException(status, code, "scripted " + code);
        });
    return this;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String serving() {
    return "scripted";
  }

  @Override
  public URI authorizationUri(OAuthRequest request) {
    started.add(request);
    return URI.create("https://idp.example.com/authorize?state=" + request.state());
  }

  @Override
  public ProviderProfile exchange(OAuthRequest request, String code) {
    exchangedCodes.add(code);
    return answers.removeFirst().get();
  }

  @Override
  public HealthResult health() {
    return HealthResult.up("scripted");
  }
}
