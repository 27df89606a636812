package dev.fanout.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Untrusted text")
class UntrustedTextTest {

  private static final String ZWSP = "\u200B";

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "ok\r::warning::x",
        "ok\n::error::x",
        "ok\r\n::notice::x",
        "ok\u0085::debug::x",
        "ok\u2028::group::x",
        "ok\u2029::add-mask::x",
        "ok\u000B::warning::x",
        "ok\u000C::warning::x",
        "::stop-commands::token",
        "  ::warning::indented",
        "anywhere ##[stop-commands]token",
        "###[group]x",
        "::::"
      })
  @DisplayName("a log line has no line break and no workflow command, wherever it hid")
  void logLine(String hostile) {
    String line = UntrustedText.logLine(hostile);
    assertEquals(1, line.split("[\r\n\u0085\u2028\u2029\u000B\u000C]", -1).length, line);
    assertFalse(line.contains("::"), line);
    assertFalse(line.contains("##["), line);
  }

  @Test
  @DisplayName("defuses :: and ##[ with a zero-width space and leaves the rest as it was")
  void defusedReadsTheSame() {
    assertEquals(
        ":"
            + ZWSP
            + ":warning:"
            + ZWSP
            + ":x #"
            + ZWSP
            + "#[y] https://a.example [:"
            + ZWSP
            + ":1]",
        UntrustedText.logLine("::warning::x ##[y] https://a.example [::1]"));
    assertEquals("plain text: 100% ok", UntrustedText.logLine("plain text: 100% ok"));
  }

  @Test
  @DisplayName("drops terminal escape sequences and replaces other control characters")
  void controlCharacters() {
    assertEquals(
        "red link title \uFFFDbell",
        UntrustedText.logLine(
            "\u001b[31;1mred\u001b[0m \u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007"
                + " \u001b]0;title\u001b\\title \u0007bell"));
    assertEquals("\uFFFD\uFFFD\uFFFDx", UntrustedText.logLine("\u0000\u007f\u009bx"));
    assertEquals("a b", UntrustedText.logLine("a\tb"));
    assertEquals("\uFFFDevil\uFFFD", UntrustedText.logLine("\u202Eevil\u2066"));
  }

  @Test
  @DisplayName("replaces lone surrogates and keeps pairs, so an encoder never fails on the text")
  void wellFormed() throws CharacterCodingException {
    String text = "a\ud800b\udc00c\ud83d\ude00d\ud800";
    String fixed = UntrustedText.wellFormed(text);
    assertEquals("a\uFFFDb\uFFFDc\ud83d\ude00d\uFFFD", fixed);
    StandardCharsets.UTF_8
        .newEncoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .encode(CharBuffer.wrap(fixed));
    assertEquals("", UntrustedText.wellFormed(null));
    String clean = "unchanged";
    assertTrue(clean == UntrustedText.wellFormed(clean), "a clean text is not copied");
  }

  @Test
  @DisplayName("a workflow command's data keeps its lines escaped and defuses commands")
  void workflowCommandData() {
    assertEquals(
        "bad,%0Areally 100%25 :" + ZWSP + ":warning:" + ZWSP + ":x%0Ay",
        UntrustedText.workflowCommandData("bad,\nreally 100% ::warning::x\ry"));
    assertEquals(
        "Fanout%3A hub%2C failed", UntrustedText.workflowCommandProperty("Fanout: hub, failed"));
  }

  @Test
  @DisplayName("a Markdown cell is a code span: no link, image or HTML, no cell break, one line")
  void markdownCell() {
    String cell =
        UntrustedText.markdownCell(
            "[login](https://evil.example) ![](https://evil.example/p.png) <b>x</b> | y\nz");
    assertEquals(
        "`[login](https://evil.example) ![](https://evil.example/p.png) <b>x</b> \\| y z`", cell);
    assertEquals("``a`b``", UntrustedText.markdownCell("a`b"));
    assertEquals("`` `tick` ``", UntrustedText.markdownCell("`tick`"));
    assertEquals("", UntrustedText.markdownCell(" \n "));
  }

  @Test
  @DisplayName("JSON content is valid whatever the text holds")
  void json() throws Exception {
    String hostile = "q\" b\\ \n\r\t \u0000 \u2028 \ud800 end";
    String literal = "\"" + UntrustedText.jsonContent(hostile) + "\"";
    assertEquals(
        "q\" b\\ \n\r\t \u0000 \u2028 \uFFFD end",
        new ObjectMapper().readValue(literal, String.class));
    assertFalse(literal.contains("\u2028"), literal);
  }
}
