package dev.fanout.maven;

import java.util.List;

/**
 * A {@code <when>} condition. Every element given must hold (they are and-ed); {@code <and>},
 * {@code <or>} and {@code <not>} nest further {@code <when>} elements.
 *
 * <pre>{@code
 * <when>
 *   <credentialPresent>AWS_ACCESS_KEY_ID,AWS_SECRET_ACCESS_KEY</credentialPresent>
 *   <or>
 *     <when><branch>main</branch></when>
 *     <when><semverTag>true</semverTag></when>
 *   </or>
 * </when>
 * }</pre>
 *
 * <p>Maven fills the fields from the POM; the plugin reads them and never changes them.
 */
public class WhenParameters {

  /** Environment variables that must all be set and not blank (CI passes unset secrets as ""). */
  List<String> credentialPresent;

  /** Holds on this branch (not on a pull request into it). */
  String branch;

  /** {@code true}: holds on any tag; {@code false}: holds when not on a tag. */
  Boolean tag;

  /** {@code true}: holds on a tag {@code v1.2.3} or {@code 1.2.3}; {@code false}: when not. */
  Boolean semverTag;

  /** {@code true}: holds on a pull or merge request; {@code false}: when not. */
  Boolean pullRequest;

  /** Holds when every nested {@code <when>} holds. */
  List<WhenParameters> and;

  /** Holds when any nested {@code <when>} holds. */
  List<WhenParameters> or;

  /** Holds when the nested condition does not. */
  WhenParameters not;
}
