package bai.scenarios.reports;

import io.cucumber.java.ParameterType;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** The suite's real step patterns and parameter types, read from its step classes: what tests compare near misses with. */
final class SuiteGlue {
    private static final Path STEPS = Path.of("src/test/java/bai/scenarios/steps");

    final List<String> expressions = new ArrayList<>();
    final Map<String, List<String>> parameterTypes = new LinkedHashMap<>();

    SuiteGlue() throws IOException {
        try (Stream<Path> files = Files.list(STEPS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                if (name.equals("package-info")) {
                    continue;
                }
                read(load("bai.scenarios.steps." + name));
            }
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    private void read(Class<?> type) {
        for (Method method : type.getDeclaredMethods()) {
            ParameterType parameterType = method.getAnnotation(ParameterType.class);
            if (parameterType != null) {
                String typeName = parameterType.name().isEmpty() ? method.getName() : parameterType.name();
                parameterTypes.put(typeName, List.of(parameterType.value()));
            }
            for (Annotation annotation : method.getAnnotations()) {
                String keyword = annotation.annotationType().getName();
                if (keyword.startsWith("io.cucumber.java.en.")) {
                    expressions.add(value(annotation));
                }
            }
        }
    }

    private static String value(Annotation annotation) {
        try {
            return (String) annotation.annotationType().getMethod("value").invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    StepSuggestions suggestions() {
        return new StepSuggestions(expressions.stream().map(e -> StepPattern.cucumberExpression(e, parameterTypes)).toList());
    }
}
