package dev.tally.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs emulators by hand until interrupted (Ctrl-C), printing where they answer:
 * <pre>
 * mvn -q -pl functions/local-aws exec:java -Dexec.mainClass=dev.tally.local.LocalAwsMain -Dexec.args="DYNAMODB SQS"
 * </pre>
 * Arguments: service names (default DYNAMODB). Prints one line per service, then the AWS_ENDPOINT_URL_* variables
 * to export. Exit status 1, with one line on stderr, when one cannot start.
 */
public final class LocalAwsMain {
    private LocalAwsMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        List<LocalService> services = new ArrayList<>();
        for (String arg : args.length == 0 ? new String[] {"DYNAMODB"} : args) {
            try {
                services.add(LocalService.valueOf(arg.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                System.err.println("unknown service " + arg + ": one of " + List.of(LocalService.values()));
                System.exit(2);
            }
        }
        LocalAws aws;
        try {
            aws = LocalAws.start(services);
        } catch (LocalAwsException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        for (LocalService service : aws.services()) {
            System.out.printf("%-9s %-11s %s%n", service, service.emulator(), aws.endpoint(service));
        }
        if (aws.isRunning(LocalService.POSTGRES)) {
            System.out.printf("%-9s %-11s %s (user %s, no password)%n", "JDBC", "", aws.jdbcUrl(), aws.jdbcUser());
        }
        aws.environment().forEach((name, value) -> {
            if (name.startsWith("AWS_ENDPOINT_URL_")) {
                System.out.printf("export %s=%s%n", name, value);
            }
        });
        System.out.printf("region %s, access key id %s, secret access key %s; Ctrl-C stops%n",
                aws.region(), aws.accessKeyId(), aws.secretAccessKey());
        System.out.flush();
        Thread.currentThread().join(); // the shutdown hook of LocalAws stops everything
    }
}
