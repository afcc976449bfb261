package bai.scenarios.emulator.graphql;

import bai.scenarios.contract.GraphQlContract;
import graphql.language.AstPrinter;
import graphql.language.EnumTypeDefinition;
import graphql.language.EnumValueDefinition;
import graphql.language.FieldDefinition;
import graphql.language.ImplementingTypeDefinition;
import graphql.language.InputObjectTypeDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.NonNullType;
import graphql.language.ObjectTypeDefinition;
import graphql.language.Type;
import graphql.language.TypeDefinition;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves mechanically that the emulator's {@code admin.graphql} is a faithful subset of the real
 * manager's {@code schema.graphql}: every type exists there with the same kind; every field,
 * argument and input field has the same type (nullability included) and default; every enum
 * value exists; and nothing the real schema requires (non-null arguments or input fields without
 * a default) is left out.
 */
class AdminSchemaSubsetTest {
    private static final Path REAL = Path.of("../shared/reference/schema.graphql");
    private static TypeDefinitionRegistry subset;
    private static TypeDefinitionRegistry real;

    @BeforeAll
    static void load() throws IOException {
        subset = new SchemaParser().parse(bai.scenarios.emulator.graphql.AdminGraphQL.sdl());
        if (Files.isRegularFile(REAL)) {
            real = GraphQlContract.strictRegistry(Files.readString(REAL));
        } else {
            System.out.println("AdminSchemaSubsetTest: " + REAL + " is not present; the subset proof is skipped");
        }
    }

    @Test
    void everyTypeOfTheSubsetMatchesTheRealSchema() {
        assumeTrue(real != null, REAL + " is not beside the project");
        List<String> problems = new ArrayList<>();
        for (TypeDefinition<?> mine : subset.types().values()) {
            TypeDefinition<?> theirs = real.getType(mine.getName()).orElse(null);
            if (theirs == null) {
                problems.add("type " + mine.getName() + " does not exist in the real schema");
            } else if (!mine.getClass().equals(theirs.getClass())) {
                problems.add("type " + mine.getName() + " is a " + kind(mine) + " here but a " + kind(theirs) + " there");
            } else {
                compare(mine, theirs, problems);
            }
        }
        subset.scalars().keySet().stream().filter(name -> !real.scalars().containsKey(name))
                .forEach(name -> problems.add("scalar " + name + " does not exist in the real schema"));
        assertThat(problems).as("differences from the real schema").isEmpty();
    }

    @Test
    void aDeliberatelyWrongSubsetIsCaught() {
        assumeTrue(real != null, REAL + " is not beside the project");
        TypeDefinitionRegistry wrong = new SchemaParser().parse(
                "type Domain { name: String! is_active: Int }\n input UserInput { username: String! }");
        List<String> problems = new ArrayList<>();
        wrong.types().values().forEach(mine -> compare(mine, real.getType(mine.getName()).orElseThrow(), problems));
        assertThat(problems).anyMatch(p -> p.contains("Domain.name"))
                .anyMatch(p -> p.contains("Domain.is_active"))
                .anyMatch(p -> p.contains("UserInput.password"));
    }

    private static void compare(TypeDefinition<?> mine, TypeDefinition<?> theirs, List<String> problems) {
        if (mine instanceof ImplementingTypeDefinition<?> object) {
            ImplementingTypeDefinition<?> other = (ImplementingTypeDefinition<?>) theirs;
            Map<String, FieldDefinition> fields = byName(other.getFieldDefinitions(), FieldDefinition::getName);
            for (FieldDefinition field : object.getFieldDefinitions()) {
                FieldDefinition real = fields.get(field.getName());
                String where = mine.getName() + "." + field.getName();
                if (real == null) {
                    problems.add(where + " does not exist in the real schema");
                    continue;
                }
                sameType(where, field.getType(), real.getType(), problems);
                compareInputs(where, field.getInputValueDefinitions(), real.getInputValueDefinitions(), problems);
            }
            List<String> interfaces = other.getImplements().stream().map(AstPrinter::printAst).toList();
            object.getImplements().stream().map(AstPrinter::printAst).filter(i -> !interfaces.contains(i))
                    .forEach(i -> problems.add(mine.getName() + " implements " + i + " only here"));
        } else if (mine instanceof InputObjectTypeDefinition input) {
            compareInputs(mine.getName(), input.getInputValueDefinitions(),
                    ((InputObjectTypeDefinition) theirs).getInputValueDefinitions(), problems);
        } else if (mine instanceof EnumTypeDefinition enumType) {
            List<String> values = ((EnumTypeDefinition) theirs).getEnumValueDefinitions().stream()
                    .map(EnumValueDefinition::getName).toList();
            enumType.getEnumValueDefinitions().stream().map(EnumValueDefinition::getName)
                    .filter(v -> !values.contains(v))
                    .forEach(v -> problems.add(mine.getName() + "." + v + " is not a value of the real enum"));
        }
    }

    private static void compareInputs(String where, List<InputValueDefinition> mine, List<InputValueDefinition> theirs,
                                      List<String> problems) {
        Map<String, InputValueDefinition> real = byName(theirs, InputValueDefinition::getName);
        Map<String, InputValueDefinition> ours = byName(mine, InputValueDefinition::getName);
        for (InputValueDefinition value : mine) {
            InputValueDefinition other = real.get(value.getName());
            if (other == null) {
                problems.add(where + "(" + value.getName() + ") does not exist in the real schema");
                continue;
            }
            sameType(where + "(" + value.getName() + ")", value.getType(), other.getType(), problems);
            String myDefault = value.getDefaultValue() == null ? null : AstPrinter.printAst(value.getDefaultValue());
            String theirDefault = other.getDefaultValue() == null ? null : AstPrinter.printAst(other.getDefaultValue());
            if (myDefault != null && !myDefault.equals(theirDefault) || myDefault == null && theirDefault != null) {
                problems.add(where + "(" + value.getName() + ") defaults to " + myDefault + " here but " + theirDefault
                        + " there");
            }
        }
        for (InputValueDefinition other : theirs) {
            boolean required = other.getType() instanceof NonNullType && other.getDefaultValue() == null;
            if (required && !ours.containsKey(other.getName())) {
                problems.add(where + "." + other.getName() + " is required by the real schema but missing here");
            }
        }
    }

    private static void sameType(String where, Type<?> mine, Type<?> theirs, List<String> problems) {
        String a = AstPrinter.printAst(mine);
        String b = AstPrinter.printAst(theirs);
        if (!a.equals(b)) {
            problems.add(where + " is " + a + " here but " + b + " there");
        }
    }

    private static String kind(TypeDefinition<?> type) {
        return type instanceof ObjectTypeDefinition ? "type" : type.getClass().getSimpleName();
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, Function.identity(), (a, b) -> a));
    }
}
