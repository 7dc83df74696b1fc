package ai.treqs.roar.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.inject.Inject;

import ai.treqs.roar.host.ChildProcesses;
import ai.treqs.roar.host.HostBindings;
import ai.treqs.roar.telemetry.config.ConfigLoader;
import ai.treqs.roar.telemetry.env.Environment;
import ai.treqs.roar.telemetry.env.SuppressionDetector;
import ai.treqs.roar.telemetry.env.Terminal;
import ai.treqs.roar.telemetry.env.UserMessages;
import ai.treqs.roar.telemetry.env.WorkingDirectory;
import ai.treqs.roar.telemetry.upload.ProcessLauncher;
import ai.treqs.roar.telemetry.upload.UploadStarter;
import ai.treqs.roar.testing.TestHost;
import io.quarkus.test.junit.main.LaunchResult;
import picocli.CommandLine;

/**
 * Runs a roar command line in this JVM without booting Quarkus: the real commands, services and
 * {@link CommandLineSetup}, wired by hand through the same seams {@link TestHost} gives
 * {@code @QuarkusMainTest} (environment, working directory, terminal, recorded launches), so a test
 * sees what a user sees (both streams, the exit code) for a few milliseconds instead of an application
 * start. Every launch gets new beans, as every launch under {@code @QuarkusMainTest} starts the
 * application afresh. That CDI wires the same graph is shown once per command by {@code CommandWiringTest}.
 */
public final class InProcessCli {
    private static final String ANSI = "\u001B\\[(.*?)[a-zA-Z]";

    /** The command line as roar would run it; the result has the shape {@code @QuarkusMainTest} gives. */
    public LaunchResult launch(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream systemOut = System.out;
        PrintStream systemErr = System.err;
        int exitCode;
        try (PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            // anything that bypasses picocli's writers is caught too, as Quarkus' console capture would
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            Beans beans = new Beans();
            CommandLine cli = new CommandLineSetup().commandLine(() -> new CommandLine(RoarCommand.class, beans),
                    beans.get(StderrMessages.class));
            cli.setOut(new PrintWriter(new OutputStreamWriter(capturedOut, StandardCharsets.UTF_8), true));
            cli.setErr(new PrintWriter(new OutputStreamWriter(capturedErr, StandardCharsets.UTF_8), true));
            exitCode = cli.execute(args);
        } finally {
            System.setOut(systemOut);
            System.setErr(systemErr);
        }
        List<String> outLines = lines(out);
        List<String> errLines = lines(err);
        return new LaunchResult() {
            @Override public List<String> getOutputStream() { return outLines; }
            @Override public List<String> getErrorStream() { return errLines; }
            @Override public int exitCode() { return exitCode; }
        };
    }

    /** As {@code @QuarkusMainTest} splits a stream: colours dropped, split on newlines (no trailing empty line). */
    private static List<String> lines(ByteArrayOutputStream captured) {
        String text = captured.toString(StandardCharsets.UTF_8).replaceAll(ANSI, "");
        return List.of(text.split("\n"));
    }

    /**
     * The application's beans for one launch: the seams bound as {@link TestHost} binds them, the rest
     * built from their {@code @Inject} constructor or fields, one instance per type.
     */
    private static final class Beans implements CommandLine.IFactory {
        private final Map<Class<?>, Object> singletons = new HashMap<>();

        Beans() {
            TestHost host = new TestHost();
            Environment env = host.environment();
            WorkingDirectory cwd = host.workingDirectory();
            StderrMessages messages = new StderrMessages();
            SuppressionDetector suppression = new SuppressionDetector(List.of());
            singletons.put(Environment.class, env);
            singletons.put(WorkingDirectory.class, cwd);
            singletons.put(Terminal.class, host.terminal());
            singletons.put(ProcessLauncher.class, host.processLauncher());
            singletons.put(UploadStarter.class, host.uploadStarter());
            singletons.put(Clock.class, Clock.systemUTC());
            singletons.put(ChildProcesses.class, production(HostBindings.class, "childProcesses", env));
            singletons.put(StderrMessages.class, messages);
            singletons.put(UserMessages.class, messages);
            singletons.put(SuppressionDetector.class, suppression);
            // roar.dev.endpoint is read only under quarkus dev
            singletons.put(ConfigLoader.class, new ConfigLoader(env, cwd, suppression, Optional.empty(), messages));
        }

        /** A picocli command or mixin: made as picocli would, then its {@code @Inject} fields set. */
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K object = CommandLine.defaultFactory().create(type);
            injectFields(object);
            return object;
        }

        <T> T get(Class<T> type) {
            Object bean = singletons.get(type);
            if (bean == null) {
                bean = construct(type);
                singletons.put(type, bean);
                injectFields(bean);
            }
            return type.cast(bean);
        }

        private Object construct(Class<?> type) {
            if (type.isInterface()) {
                throw new IllegalStateException("no binding for " + type.getName() + " in InProcessCli");
            }
            try {
                Constructor<?> chosen = null;
                for (Constructor<?> c : type.getDeclaredConstructors()) {
                    if (c.isAnnotationPresent(Inject.class)) {
                        chosen = c;
                    }
                }
                if (chosen == null) {
                    chosen = type.getDeclaredConstructor();
                }
                chosen.setAccessible(true);
                Object[] args = Arrays.stream(chosen.getParameterTypes()).map(this::get).toArray();
                return chosen.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build " + type.getName(), e);
            }
        }

        private void injectFields(Object object) {
            for (Class<?> c = object.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (field.isAnnotationPresent(Inject.class)) {
                        try {
                            field.setAccessible(true);
                            field.set(object, get(field.getType()));
                        } catch (IllegalAccessException e) {
                            throw new IllegalStateException("cannot inject " + field, e);
                        }
                    }
                }
            }
        }

        /** A production {@code @Produces} method, called as CDI would call it. */
        private static Object production(Class<?> producerClass, String method, Object... beans) {
            try {
                Constructor<?> constructor = producerClass.getDeclaredConstructor();
                constructor.setAccessible(true);
                Method producer = Arrays.stream(producerClass.getDeclaredMethods())
                        .filter(m -> m.getName().equals(method) && m.getParameterCount() == beans.length).findFirst()
                        .orElseThrow(() -> new NoSuchMethodException(producerClass.getName() + "." + method));
                producer.setAccessible(true);
                return producer.invoke(constructor.newInstance(), beans);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot call " + producerClass.getName() + "." + method, e);
            }
        }
    }
}
