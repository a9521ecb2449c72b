package dev.sluice.controller.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of the API, used by the server to write answers and by the client to read
 * them: unknown properties fail, every record component is required unless it is annotated
 * {@code @JsonInclude(NON_NULL)} (then it is left out when null and may be missing), and a null for
 * a primitive fails. Answers are written indented, as {@code --json} prints them.
 */
public final class ApiJson {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .annotationIntrospector(new RequiredUnlessOmitted())
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private ApiJson() {}

  /** The mapper (thread-safe; do not reconfigure). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** {@code value} as indented JSON, the way the API answers and {@code --json} prints. */
  public static String pretty(Object value) {
    try {
      return PRETTY.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName(), e);
    }
  }

  /** Reads {@code json} as {@code type}; a missing or unknown field is an exception naming it. */
  public static <T> T read(String json, Class<T> type) throws JsonProcessingException {
    return MAPPER.readValue(json, type);
  }

  /**
   * Marks every creator property required (so Jackson reports it missing) unless the component is
   * {@code @JsonInclude(NON_NULL)}: the one rule for "may be absent" is "is left out when null".
   */
  private static final class RequiredUnlessOmitted extends JacksonAnnotationIntrospector {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean hasRequiredMarker(AnnotatedMember m) {
      Boolean explicit = super.hasRequiredMarker(m);
      if (Boolean.TRUE.equals(explicit)) {
        return true;
      }
      JsonInclude include = _findAnnotation(m, JsonInclude.class);
      return include == null || include.value() != JsonInclude.Include.NON_NULL;
    }
  }
}
