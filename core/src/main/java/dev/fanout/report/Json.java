package dev.fanout.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.fanout.internal.text.UntrustedText;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import org.jspecify.annotations.Nullable;

/**
 * How the report's JSON is written: with Jackson's generator, two spaces of indentation, a new line
 * at the end, and every text from outside made well formed first.
 */
final class Json {

  private static final JsonFactory FACTORY = new JsonFactory();

  private Json() {}

  /** Writes one JSON document. */
  @FunctionalInterface
  interface Writing {

    /**
     * Writes the document's one value.
     *
     * @param json the generator
     * @throws IOException when Jackson fails, which writing to a string does not
     */
    void write(JsonGenerator json) throws IOException;
  }

  /**
   * A JSON document as text.
   *
   * @param writing writes the document's value
   * @return the JSON, ending with a new line
   */
  static String document(Writing writing) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = FACTORY.createGenerator(text)) {
      json.setPrettyPrinter(new ReportPrinter());
      json.setCharacterEscapes(new LineSeparatorEscapes());
      writing.write(json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON to a string", e);
    }
    return text + "\n";
  }

  /**
   * Writes a field whose text may come from outside (a registry's message, a git ref): well formed
   * first, since a lone surrogate in a Java string would reach the file as an encoder's {@code ?}
   * or an exception.
   *
   * @param json the generator
   * @param name the field's name
   * @param value the text, or null for {@code null}
   * @throws IOException when Jackson fails
   */
  static void text(JsonGenerator json, String name, @Nullable String value) throws IOException {
    if (value == null) {
      json.writeNullField(name);
    } else {
      json.writeStringField(name, UntrustedText.wellFormed(value));
    }
  }

  /**
   * Writes a field that is an array of texts from outside, each well formed.
   *
   * @param json the generator
   * @param name the field's name
   * @param values the texts
   * @throws IOException when Jackson fails
   */
  static void texts(JsonGenerator json, String name, Iterable<String> values) throws IOException {
    json.writeArrayFieldStart(name);
    for (String value : values) {
      json.writeString(UntrustedText.wellFormed(value));
    }
    json.writeEndArray();
  }

  /**
   * Indents objects and arrays by two spaces with {@code \n} whatever the platform, and writes
   * {@code "name": value} and {@code []} as people write JSON by hand.
   */
  private static final class ReportPrinter extends DefaultPrettyPrinter {

    private static final long serialVersionUID = 1L;

    ReportPrinter() {
      DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
      indentObjectsWith(indenter);
      indentArraysWith(indenter);
    }

    private ReportPrinter(ReportPrinter base) {
      super(base);
    }

    @Override
    public ReportPrinter createInstance() {
      return new ReportPrinter(this);
    }

    @Override
    public void writeObjectFieldValueSeparator(JsonGenerator json) throws IOException {
      json.writeRaw(": ");
    }

    /** An empty array as {@code []}, not Jackson's {@code [ ]}. */
    @Override
    public void writeEndArray(JsonGenerator json, int values) throws IOException {
      if (values == 0) {
        _nesting--;
        json.writeRaw(']');
      } else {
        super.writeEndArray(json, values);
      }
    }
  }

  /**
   * Escapes U+2028 and U+2029 besides what JSON requires, so that the report is also valid
   * JavaScript: a registry's message may hold them.
   */
  private static final class LineSeparatorEscapes extends CharacterEscapes {

    private static final long serialVersionUID = 1L;

    private static final int[] ASCII = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ASCII;
    }

    @Override
    public @Nullable SerializableString getEscapeSequence(int c) {
      return switch (c) {
        case '\u2028' -> new SerializedString("\\u2028");
        case '\u2029' -> new SerializedString("\\u2029");
        default -> null;
      };
    }
  }
}
