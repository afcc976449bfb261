package bai.scenarios.world;

import bai.scenarios.client.admin.AdminRecords.Domain;
import bai.scenarios.client.admin.AdminRecords.Keypair;
import bai.scenarios.client.admin.AdminRecords.KeypairPolicy;
import bai.scenarios.client.admin.AdminRecords.LimitPolicy;
import bai.scenarios.client.admin.AdminRecords.Project;
import bai.scenarios.client.admin.AdminRecords.User;
import bai.scenarios.fixtures.AdminFixtures.NewUser;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The administrative objects a scenario talks about: "the domain", "the project", "the new
 * user", "the policy", someone's "second keypair". Fresh for every scenario (PicoContainer).
 */
public final class AdminScene {
    private Domain domain;
    private Domain otherDomain;
    private String previousDomainName;
    private Project project;
    private final List<Project> projects = new java.util.ArrayList<>();
    private NewUser newUser;
    private KeypairPolicy policy;
    private LimitPolicy limitPolicy;
    private Keypair newKeypair;
    private List<User> listedUsers = List.of();
    private final Map<String, Keypair> secondKeypairs = new HashMap<>();

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("this scenario has no " + what + " yet; add a Given step that creates it");
        }
        return value;
    }

    public Domain domain() {
        return required(domain, "domain");
    }

    public void domain(Domain value) {
        domain = value;
    }

    /** "another domain": a second domain of the scenario, next to "the domain". */
    public Domain otherDomain() {
        return required(otherDomain, "another domain (Given another domain)");
    }

    public void otherDomain(Domain value) {
        otherDomain = value;
    }

    public String previousDomainName() {
        return required(previousDomainName, "renamed domain");
    }

    public void previousDomainName(String value) {
        previousDomainName = value;
    }

    public Project project() {
        return required(project, "project");
    }

    /** Makes {@code value} "the project" (the latest) and remembers its place among the scenario's projects. */
    public void project(Project value) {
        project = value;
        projects.add(value);
    }

    /** The scenario's projects in the order they were created ("the first project" is number 1). */
    public Project project(int number) {
        if (projects.size() < number) {
            throw new IllegalStateException("this scenario has " + projects.size() + " project(s), not " + number
                    + "; add a Given step that creates them");
        }
        return projects.get(number - 1);
    }

    public NewUser newUser() {
        return required(newUser, "new user");
    }

    public void newUser(NewUser value) {
        newUser = value;
    }

    public KeypairPolicy policy() {
        return required(policy, "keypair resource policy");
    }

    public void policy(KeypairPolicy value) {
        policy = value;
    }

    public LimitPolicy limitPolicy() {
        return required(limitPolicy, "user or project resource policy");
    }

    public void limitPolicy(LimitPolicy value) {
        limitPolicy = value;
    }

    public Keypair newKeypair() {
        return required(newKeypair, "new keypair");
    }

    public void newKeypair(Keypair value) {
        newKeypair = value;
    }

    public Keypair secondKeypairOf(String actor) {
        return required(secondKeypairs.get(actor), "second keypair of " + actor);
    }

    public void secondKeypairOf(String actor, Keypair value) {
        secondKeypairs.put(actor, value);
    }

    public List<User> listedUsers() {
        return listedUsers;
    }

    public void listedUsers(List<User> value) {
        listedUsers = List.copyOf(value);
    }
}
