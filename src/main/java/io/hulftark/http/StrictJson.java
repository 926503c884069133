package io.hulftark.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.deser.InstantDeserializer;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Instant;

/**
 * Request bodies are read as the OpenAPI documents type them, with no guessing: a fraction ({@code "seq": 1.5}),
 * a string for a number or a boolean ({@code "5"}, {@code "true"}), a number or a boolean for a string, a number
 * for an enum or an instant, or anything after the JSON value is a 400 problem rather than a value Jackson made up. A null
 * number is the same as an absent one (its default, 0), and unknown properties are ignored: a newer agent's report
 * may carry fields an older fleet view does not know.
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    /** Last, after Quarkus's own customizers: its Java time module would otherwise replace the instants' reader. */
    @Override
    public int priority() {
        return MINIMUM_PRIORITY;
    }

    @Override
    public void customize(ObjectMapper mapper) {
        apply(mapper);
    }

    public static ObjectMapper apply(ObjectMapper mapper) {
        mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
        // An instant is an ISO-8601 string: Java time's own reader would take a number as epoch seconds.
        mapper.registerModule(new SimpleModule("strict-instants").addDeserializer(Instant.class,
                new StdDeserializer<>(Instant.class) {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                        if (!p.hasToken(JsonToken.VALUE_STRING)) {
                            return (Instant) ctxt.handleUnexpectedToken(Instant.class, p);
                        }
                        return InstantDeserializer.INSTANT.deserialize(p, ctxt);
                    }
                }));
        for (LogicalType type : new LogicalType[] {LogicalType.Textual, LogicalType.Enum}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        }
        return mapper;
    }
}
