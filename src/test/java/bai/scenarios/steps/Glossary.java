package bai.scenarios.steps;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What the step glossary ({@code features/GLOSSARY.md}, {@code reports/glossary.html}) says about
 * a step, a parameter type, or (on a step class) the group its steps belong to. Every step and
 * parameter type carries one; {@code GlossaryTest} fails on one without.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Glossary {
    /** One line in the user's words: what the step does or checks (on a class: the group's title). */
    String value();

    /** The scenario state the step relies on, e.g. "the latest domain", "the last person named". */
    String reads() default "";

    /** The scenario state the step sets, e.g. "the latest session", "the last call's outcome". */
    String sets() default "";

    /** For a parameter type whose values are not a plain list of words: what it accepts. */
    String accepts() default "";

    /** For a step class: where its group stands in the glossary (lower first). */
    int order() default 100;
}
