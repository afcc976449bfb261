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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Proves mechanically that the emulator's {@code admin.graphql} is a faithful subset of the real
 * manager's {@code schema.graphql}: every type exists there with the same kind; every field,
 * argument and input field has the same type (nullability included) and default; every enum
 * value exists; and nothing the real schema requires (non-null arguments or input fields without
 * a default) is left out. It also prints the field coverage of the types the suite and the
 * clients touch, and holds {@code admin.graphql}'s coverage notes to it.
 */
class AdminSchemaSubsetTest {
    private static final Path REAL = Path.of("../shared/reference/schema.graphql");
    private static TypeDefinitionRegistry subset;
    private static TypeDefinitionRegistry real;

    @BeforeAll
    static void load() throws IOException {
        subset = new SchemaParser().parse(AdminGraphQL.sdl());
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

    /** The object types the suite and Backend.AI's clients (web UI, Python SDK) touch. */
    static final List<String> TOUCHED = List.of("User", "KeyPair", "KeyPairResourcePolicy", "UserResourcePolicy",
            "ProjectResourcePolicy", "Group", "Domain", "Image", "ComputeSession", "ComputeContainer", "Agent",
            "AgentSummary", "ScalingGroup", "ResourcePreset");
    private static final Pattern NOTE = Pattern.compile("^# (absent|fixed) (\\w+)\\.(\\w+) -- (.+)$");

    /** {@code admin.graphql}'s coverage notes: "absent" or "fixed", by Type.field. */
    static Map<String, String> coverageNotes() {
        Map<String, String> notes = new LinkedHashMap<>();
        for (String line : AdminGraphQL.sdl().split("\n")) {
            Matcher note = NOTE.matcher(line);
            if (note.matches()) {
                notes.put(note.group(2) + "." + note.group(3), note.group(1));
            }
        }
        return notes;
    }

    /**
     * Prints, per type the suite touches, how many of the real schema's fields the emulator
     * serves, and proves admin.graphql's notes exact: every real field left out is noted
     * "absent", every note names a real field, a "fixed" field is served, an "absent" one is not.
     */
    @Test
    void everyFieldOfTheTouchedTypesIsServedOrNotedAbsent() {
        assumeTrue(real != null, REAL + " is not beside the project");
        Map<String, String> notes = coverageNotes();
        List<String> problems = new ArrayList<>();
        StringBuilder table = new StringBuilder(String.format("%nAdmin GraphQL field coverage (emulator vs %s)%n", REAL))
                .append(String.format("%-24s %8s %6s %7s  %s%n", "type", "served", "fixed", "absent", "absent fields"));
        int servedTotal = 0;
        int realTotal = 0;
        for (String type : TOUCHED) {
            List<String> realFields = fieldNames(real, type);
            List<String> served = fieldNames(subset, type);
            List<String> absent = realFields.stream().filter(f -> !served.contains(f)).toList();
            long fixed = served.stream().filter(f -> "fixed".equals(notes.get(type + "." + f))).count();
            absent.stream().filter(f -> !"absent".equals(notes.get(type + "." + f)))
                    .forEach(f -> problems.add(type + "." + f + " is neither served nor noted absent in admin.graphql"));
            served.stream().filter(f -> "absent".equals(notes.get(type + "." + f)))
                    .forEach(f -> problems.add(type + "." + f + " is served but noted absent"));
            table.append(String.format("%-24s %4d/%-3d %6d %7d  %s%n", type, served.size(), realFields.size(), fixed,
                    absent.size(), absent.isEmpty() ? "-" : String.join(", ", absent)));
            servedTotal += served.size();
            realTotal += realFields.size();
        }
        table.append(String.format("%-24s %4d/%-3d%n", "all", servedTotal, realTotal));
        notes.forEach((field, kind) -> {
            String type = field.substring(0, field.indexOf('.'));
            String name = field.substring(field.indexOf('.') + 1);
            if (!fieldNames(real, type).contains(name)) {
                problems.add(field + " is noted " + kind + " but is not a field of the real schema");
            } else if (kind.equals("fixed") && !fieldNames(subset, type).contains(name)) {
                problems.add(field + " is noted fixed but not served");
            }
        });
        System.out.println(table);
        assertThat(problems).as("admin.graphql's coverage notes").isEmpty();
    }

    private static List<String> fieldNames(TypeDefinitionRegistry registry, String type) {
        return registry.getType(type).filter(t -> t instanceof ImplementingTypeDefinition<?>)
                .map(t -> ((ImplementingTypeDefinition<?>) t).getFieldDefinitions().stream()
                        .map(FieldDefinition::getName).toList())
                .orElse(List.of());
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
