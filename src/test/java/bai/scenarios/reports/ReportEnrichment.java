package bai.scenarios.reports;

import io.cucumber.messages.types.Envelope;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the suite adds to Cucumber's message stream before the reports see it: the evidence of an
 * {@code @AfterStep} hook at the step it ran after ({@link AfterStepEvidence}) and advice at an
 * undefined step ({@link UndefinedStepAdvice}). Every report gets the same enriched stream.
 */
public final class ReportEnrichment {
    private final RunIndex index = new RunIndex();
    private final AfterStepEvidence evidence = new AfterStepEvidence(index);
    private final UndefinedStepAdvice advice;

    public ReportEnrichment() {
        this(System.out);
    }

    ReportEnrichment(PrintStream console) {
        this.advice = new UndefinedStepAdvice(index, console);
    }

    /** The message as the reports should see it, preceded by any message the suite adds. */
    public List<Envelope> enrich(Envelope message) {
        index.observe(message);
        if (message.getAttachment().isPresent()) {
            return List.of(Envelope.of(evidence.bindToItsStep(message.getAttachment().get())));
        }
        if (message.getTestStepFinished().isPresent()) {
            List<Envelope> messages = new ArrayList<>(2);
            advice.adviceFor(message.getTestStepFinished().get()).map(Envelope::of).ifPresent(messages::add);
            messages.add(message);
            return messages;
        }
        return List.of(message);
    }
}
