package org.pnnedge.fleet.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.pnnedge.fleet.db.DbException;
import org.pnnedge.fleet.db.DbLayout;
import org.pnnedge.fleet.db.FleetDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pnn fleet db up|down|status}: the controller's private PostgreSQL. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "The fleet database: a private PostgreSQL on 127.0.0.1 under the fleet state directory.",
        subcommands = {DbCommand.Up.class, DbCommand.Down.class, DbCommand.Status.class})
final class DbCommand {

    /** Where the database lives; shared by every command that reads or writes fleet state. */
    static final class Where {
        @Option(names = "--state-dir", defaultValue = "/var/lib/pnn-edge/fleet", paramLabel = "DIR",
                description = "Fleet state directory (the cluster's); the database is DIR/postgres. Default ${DEFAULT-VALUE}.")
        Path stateDir;

        @Option(names = "--db-port", defaultValue = "" + DbLayout.DEFAULT_PORT,
                description = "Loopback port of the database. Default ${DEFAULT-VALUE}.")
        int port;

        FleetDatabase database() throws DbException {
            return FleetDatabase.of(DbLayout.under(stateDir, port));
        }
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = "Create (first time), start and migrate the database. Exit 1 says why it could not.")
    static final class Up implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--timeout", defaultValue = "PT60S", description = "Give up after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FleetDatabase db = where.database();
            db.up(timeout);
            spec.commandLine().getOut().println("fleet db: up on 127.0.0.1:" + db.layout().port() + " ("
                    + db.layout().dir() + ")");
            return 0;
        }
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop the database (data kept).")
    static final class Down implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--timeout", defaultValue = "PT60S", description = "Give up after this long. Default ${DEFAULT-VALUE}.")
        Duration timeout;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            where.database().down(timeout);
            spec.commandLine().getOut().println("fleet db: down");
            return 0;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Whether the database exists and runs. Exit 0 running, 1 not.")
    static final class Status implements Callable<Integer> {
        @Mixin
        Where where;
        @Option(names = "--json", description = "Print machine-readable JSON.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            FleetDatabase.Status s = where.database().status();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(new ObjectMapper().writeValueAsString(s));
            } else {
                out.println("fleet db: " + (s.running() ? "running" : "not running") + " on 127.0.0.1:" + s.port()
                        + (s.problem().isEmpty() ? "" : " (" + s.problem() + ")"));
            }
            return s.running() ? 0 : 1;
        }
    }
}
