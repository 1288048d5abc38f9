package javaland.api;

import java.util.List;

/** {@code GET /policy} (schema PolicyChoice): the policy in force and those a swap can put in force. */
public record PolicyChoice(String inForce, List<String> installed) {
  public PolicyChoice {
    installed = List.copyOf(installed);
  }
}
