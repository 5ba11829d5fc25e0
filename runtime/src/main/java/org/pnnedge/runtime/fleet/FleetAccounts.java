package org.pnnedge.runtime.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.pnnedge.runtime.io.AtomicFiles;

/**
 * The cluster's MQTT accounts, kept in {@code accounts.json} (mode 0600: it holds the generated passwords the
 * devices are configured with). A device account may publish only under {@code pnn/<name>/…} and read its own
 * topics and {@code pnn/fleet/<fleet>/…}; an operator account (the controller, dashboards) may publish and read
 * everything. There is no anonymous login.
 *
 * @param accounts every account, sorted by name
 */
public record FleetAccounts(List<Account> accounts) {
    /** What an account may do (see the ACLs in {@code EjabberdConfig}). */
    public enum Role { DEVICE, OPERATOR }

    /**
     * One MQTT account.
     *
     * @param name     MQTT user name; for a device also its device id and topic segment
     * @param role     device or operator
     * @param fleet    the device's fleet id; empty for operators
     * @param password generated, 32 characters of base64url
     */
    public record Account(String name, Role role, String fleet, String password) {
    }

    /** The operator account created with the cluster. */
    public static final String OPERATOR = "controller";
    /**
     * Lower-case only: ejabberd folds user names to lower case (nodeprep) before matching the {@code %u} ACL, so
     * "Pi-7" and "pi-7" would be one account. {@code fleet} is reserved (topic {@code pnn/fleet/...}).
     */
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();

    public FleetAccounts {
        accounts = accounts.stream().sorted(Comparator.comparing(Account::name)).toList();
    }

    /** Reads the file; a missing file is an empty account list. */
    public static FleetAccounts load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new FleetAccounts(List.of());
        }
        try {
            return new FleetAccounts(JSON.readValue(file.toFile(), new TypeReference<List<Account>>() { }));
        } catch (IOException e) {
            throw new IOException(file + ": not a readable account list (" + e.getMessage() + ")", e);
        }
    }

    /** Writes the file atomically with mode 0600. */
    public void save(Path file) throws IOException {
        AtomicFiles.write(file, JSON.writeValueAsBytes(accounts));
    }

    public Optional<Account> find(String name) {
        return accounts.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** The fleets that have at least one device, sorted. */
    public List<String> fleets() {
        return List.copyOf(new TreeSet<>(accounts.stream().filter(a -> a.role() == Role.DEVICE).map(Account::fleet).toList()));
    }

    public List<Account> devicesOf(String fleet) {
        return accounts.stream().filter(a -> a.role() == Role.DEVICE && a.fleet().equals(fleet)).toList();
    }

    public List<Account> operators() {
        return accounts.stream().filter(a -> a.role() == Role.OPERATOR).toList();
    }

    /** With the account added, a fresh password generated; an existing account of the same name is an error. */
    public FleetAccounts with(String name, Role role, String fleet) {
        return withAll(List.of(name), role, fleet);
    }

    /**
     * With all the accounts added (one role and fleet), each with a fresh password; every problem (a bad or
     * reserved name, a name that exists or repeats) is named in one error and nothing is added.
     */
    public FleetAccounts withAll(List<String> names, Role role, String fleet) {
        List<String> problems = new ArrayList<>();
        if (names.isEmpty()) {
            problems.add("no account name given");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        java.util.Set<String> existing = new java.util.HashSet<>(accounts.stream().map(Account::name).toList());
        for (String name : names) {
            checkId("account name", name, problems);
            if ("fleet".equals(name)) {
                problems.add("account name 'fleet' is reserved (topics pnn/fleet/...)");
            }
            if (existing.contains(name)) {
                problems.add("account '" + name + "' exists already");
            }
            if (!seen.add(name)) {
                problems.add("account '" + name + "' is given twice");
            }
        }
        if (role == Role.DEVICE) {
            checkId("fleet id", fleet, problems);
        } else if (!fleet.isEmpty()) {
            problems.add("an operator account belongs to no fleet");
        }
        if (!problems.isEmpty()) {
            List<String> shown = problems.size() > 10 ? problems.subList(0, 10) : problems;
            throw new IllegalArgumentException(String.join("; ", shown)
                    + (problems.size() > 10 ? "; and " + (problems.size() - 10) + " more" : ""));
        }
        List<Account> more = new ArrayList<>(accounts);
        for (String name : names) {
            more.add(new Account(name, role, fleet, newPassword()));
        }
        return new FleetAccounts(more);
    }

    /**
     * Names for {@code count} numbered accounts: {@code prefix} and a 5-digit number from 00001, so they sort in
     * order up to 99,999 (what {@code pnn fleet account add --count} makes and {@code pnn fleet simulate} takes).
     */
    public static List<String> numbered(String prefix, int count) {
        if (count < 1 || count > 99_999) {
            throw new IllegalArgumentException("count must be 1..99999, got " + count);
        }
        List<String> names = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            names.add(prefix + String.format(java.util.Locale.ROOT, "%05d", i));
        }
        return names;
    }

    private static void checkId(String what, String id, List<String> problems) {
        if (id == null || !ID.matcher(id).matches()) {
            problems.add(what + " '" + id + "' must be 1-64 of a-z 0-9 _ . - (lower case), starting with a letter or digit");
        }
    }

    private static String newPassword() {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
