package bai.scenarios.emulator.graphql;

import bai.scenarios.emulator.state.PythonJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import graphql.GraphQLContext;
import graphql.execution.CoercedVariables;
import graphql.language.IntValue;
import graphql.language.StringValue;
import graphql.language.Value;
import graphql.schema.Coercing;
import graphql.schema.CoercingParseLiteralException;
import graphql.schema.CoercingParseValueException;
import graphql.schema.CoercingSerializeException;
import graphql.schema.GraphQLScalarType;

import java.io.IOException;
import java.util.Locale;
import java.util.UUID;

/** The manager's custom scalars, with graphene's parsing rules. */
final class Scalars {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** graphene's SAFE_MAX_INT: 2^53 - 1. */
    private static final long SAFE_MAX_INT = 9007199254740991L;

    private Scalars() {
    }

    /** JSON carried as a string in both directions; parsed to a tree inside the emulator. */
    static final GraphQLScalarType JSON_STRING = GraphQLScalarType.newScalar().name("JSONString")
            .coercing(new Coercing<Object, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    if (value instanceof String text) {
                        return text;
                    }
                    return PythonJson.dumps(value instanceof JsonNode node ? node : JSON.valueToTree(value));
                }

                @Override
                public Object parseValue(Object input, GraphQLContext context, Locale locale) {
                    if (!(input instanceof String text)) {
                        throw new CoercingParseValueException("JSONString expects a string holding JSON, got: " + input);
                    }
                    return parseJson(text);
                }

                @Override
                public Object parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                           Locale locale) {
                    if (!(input instanceof StringValue text)) {
                        throw new CoercingParseLiteralException("JSONString expects a string holding JSON");
                    }
                    return parseJson(text.getValue());
                }
            }).build();

    static final GraphQLScalarType UUID_SCALAR = GraphQLScalarType.newScalar().name("UUID")
            .coercing(new Coercing<UUID, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    return value.toString();
                }

                @Override
                public UUID parseValue(Object input, GraphQLContext context, Locale locale) {
                    return uuid(String.valueOf(input));
                }

                @Override
                public UUID parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    if (!(input instanceof StringValue text)) {
                        throw new CoercingParseLiteralException("UUID expects a string");
                    }
                    return uuid(text.getValue());
                }
            }).build();

    static final GraphQLScalarType DATE_TIME = GraphQLScalarType.newScalar().name("DateTime")
            .coercing(new Coercing<String, String>() {
                @Override
                public String serialize(Object value, GraphQLContext context, Locale locale) {
                    return value.toString();
                }

                @Override
                public String parseValue(Object input, GraphQLContext context, Locale locale) {
                    return String.valueOf(input);
                }

                @Override
                public String parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                           Locale locale) {
                    return input instanceof StringValue text ? text.getValue() : String.valueOf(input);
                }
            }).build();

    /**
     * graphene's BigInt: within the 32-bit range an integer; beyond it a float (so
     * {@code 2147483648.0} on the wire); beyond 2^53 an error.
     */
    static final GraphQLScalarType BIG_INT = GraphQLScalarType.newScalar().name("BigInt")
            .coercing(new Coercing<Long, Object>() {
                @Override
                public Object serialize(Object value, GraphQLContext context, Locale locale) {
                    long number = ((Number) value).longValue();
                    if (Math.abs(number) > SAFE_MAX_INT) {
                        throw new CoercingSerializeException("Cannot serialize integer out of the safe range.");
                    }
                    if (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE) {
                        return new java.math.BigDecimal(number).setScale(1);
                    }
                    return number;
                }

                @Override
                public Long parseValue(Object input, GraphQLContext context, Locale locale) {
                    try {
                        return input instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(input));
                    } catch (NumberFormatException e) {
                        throw new CoercingParseValueException("BigInt expects an integer, got: " + input);
                    }
                }

                @Override
                public Long parseLiteral(Value<?> input, CoercedVariables variables, GraphQLContext context,
                                         Locale locale) {
                    if (input instanceof IntValue number) {
                        return number.getValue().longValue();
                    }
                    if (input instanceof StringValue text) {
                        return parseValue(text.getValue(), context, locale);
                    }
                    throw new CoercingParseLiteralException("BigInt expects an integer");
                }
            }).build();

    private static JsonNode parseJson(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new CoercingParseValueException("JSONString holds invalid JSON: " + text);
        }
    }

    private static UUID uuid(String text) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new CoercingParseValueException("'" + text + "' is not a valid UUID");
        }
    }
}
