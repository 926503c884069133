package io.hulftark.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hulftark.fleet.FleetConfig;
import io.hulftark.link.LinkConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/fleet/ says the same as the code: the keys it sets exist, the probes and the balancer's checks hit the
 * fleet view's health endpoints, the stream's proxy settings name the stream's real path, and the Kubernetes
 * objects refer to each other by the right names.
 */
class DeployFleetTest {

    static final Path DIR = Path.of("deploy", "fleet");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(Files.readString(DIR.resolve("kubernetes").resolve(file)));
    }

    /** hulftark.fleet.* from FleetConfig's and LinkConfig's methods, kebab-cased as SmallRye maps them, and the other keys we set. */
    static Set<String> knownKeys() {
        Set<String> keys = Stream.of(FleetConfig.class, LinkConfig.class).flatMap(c -> Stream.of(c.getDeclaredMethods()))
                .map(Method::getName)
                .map(n -> "hulftark.fleet." + n.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase())
                .collect(Collectors.toSet());
        keys.addAll(List.of("hulftark.security.tokens-file", "hulftark.state-dir", "quarkus.http.port",
                "quarkus.management.port", "quarkus.management.host",
                "quarkus.datasource.postgresql.jdbc.url", "quarkus.datasource.postgresql.username",
                "quarkus.datasource.postgresql.password"));
        return keys;
    }

    /** Whether {@code env} is the environment variable of a known key (SmallRye: non-alphanumerics to _, upper case). */
    static boolean knownEnv(String env) {
        return knownKeys().stream().anyMatch(k -> k.replaceAll("[^A-Za-z0-9]", "_").toUpperCase().equals(env));
    }

    @Test
    void theDeploymentRunsTwoReplicasWithProbesOnTheHealthEndpointsAndCredentialsFromTheSecret() throws IOException {
        JsonNode d = yaml("deployment.yaml");
        assertThat(d.path("spec").path("replicas").asInt()).isEqualTo(2);
        JsonNode c = d.path("spec").path("template").path("spec").path("containers").get(0);
        assertThat(c.path("args").toString()).isEqualTo("[\"fleet\"]");
        assertThat(c.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8690);
        assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
        assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
        // Health is on the management interface, a port the Service does not expose.
        assertThat(c.path("ports").get(1).path("name").asText()).isEqualTo("management");
        assertThat(c.path("ports").get(1).path("containerPort").asInt()).isEqualTo(9690);
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertThat(c.path(probe).path("httpGet").path("port").asText()).as(probe).isEqualTo("management");
        }

        JsonNode secret = yaml("secret.yaml");
        String secretName = secret.path("metadata").path("name").asText();
        List<String> fromSecret = new ArrayList<>();
        for (JsonNode e : c.path("env")) {
            JsonNode ref = e.path("valueFrom").path("secretKeyRef");
            if (!ref.isMissingNode()) {
                assertThat(ref.path("name").asText()).isEqualTo(secretName);
                assertThat(secret.path("stringData").has(ref.path("key").asText())).as(ref.toString()).isTrue();
                fromSecret.add(e.path("name").asText());
            }
        }
        assertThat(fromSecret).containsExactlyInAnyOrder("QUARKUS_DATASOURCE_POSTGRESQL_USERNAME",
                "QUARKUS_DATASOURCE_POSTGRESQL_PASSWORD");
        JsonNode volumes = d.path("spec").path("template").path("spec").path("volumes");
        JsonNode tokens = volumes.findParent("secretName");
        assertThat(tokens.path("secretName").asText()).isEqualTo(secretName);
        assertThat(secret.path("stringData").has(tokens.path("items").get(0).path("key").asText())).isTrue();
        assertThat(volumes.findValue("configMap").path("name").asText())
                .isEqualTo(yaml("configmap.yaml").path("metadata").path("name").asText());
    }

    @Test
    void theHeapFitsTheOneGibibyteBudgetAndTheContainerLeavesRoomAboveIt() throws IOException {
        JsonNode c = yaml("deployment.yaml").path("spec").path("template").path("spec").path("containers").get(0);
        String opts = "";
        for (JsonNode e : c.path("env")) {
            if (e.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                opts = e.path("value").asText();
            }
        }
        assertThat(opts).contains("-Xmx1g");
        String limit = c.path("resources").path("limits").path("memory").asText();
        assertThat(limit).endsWith("Mi");
        assertThat(Integer.parseInt(limit.replace("Mi", ""))).isGreaterThanOrEqualTo(1024 + 256);
        assertThat(Files.readString(DIR.resolve("systemd").resolve("hulft-ark-fleet.service"))).contains("-Xmx1g");
    }

    /** The benchmark measures the JVM settings that systemd and Kubernetes run. */
    @Test
    void theBenchmarkSystemdAndKubernetesRunOneSetOfJvmOptions() throws IOException {
        java.util.regex.Matcher bench = java.util.regex.Pattern.compile("JVM_OPTS:-([^}]*)\\}")
                .matcher(Files.readString(Path.of("src", "bench", "fleet.sh")));
        assertThat(bench.find()).as("fleet.sh's default JVM options").isTrue();
        java.util.regex.Matcher systemd = java.util.regex.Pattern.compile("\"JAVA_OPTS=([^\"]*)\"")
                .matcher(Files.readString(DIR.resolve("systemd").resolve("hulft-ark-fleet.service")));
        assertThat(systemd.find()).isTrue();
        String kubernetes = "";
        JsonNode c = yaml("deployment.yaml").path("spec").path("template").path("spec").path("containers").get(0);
        for (JsonNode e : c.path("env")) {
            if (e.path("name").asText().equals("JDK_JAVA_OPTIONS")) {
                kubernetes = e.path("value").asText().trim();
            }
        }
        assertThat(bench.group(1)).isEqualTo(systemd.group(1)).isEqualTo(kubernetes).contains("-XX:+UseZGC");
    }

    @Test
    void theConfigMapSetsOnlyKeysTheFleetViewKnowsAndPointsAtTheMountedTokens() throws IOException {
        JsonNode cm = yaml("configmap.yaml");
        Properties p = new Properties();
        p.load(new StringReader(cm.path("data").path("application.properties").asText()));
        assertThat(knownKeys()).containsAll(p.stringPropertyNames());
        assertThat(p.getProperty("hulftark.fleet.store")).isEqualTo("postgresql");
        JsonNode c = yaml("deployment.yaml").path("spec").path("template").path("spec").path("containers").get(0);
        String tokensMount = null;
        String configMount = null;
        for (JsonNode m : c.path("volumeMounts")) {
            if (m.path("name").asText().equals("tokens")) {
                tokensMount = m.path("mountPath").asText();
            }
            if (m.path("name").asText().equals("config")) {
                configMount = m.path("mountPath").asText();
            }
        }
        assertThat(p.getProperty("hulftark.security.tokens-file")).isEqualTo(tokensMount + "/tokens");
        // Quarkus reads config/application.properties in the working directory, which the image sets.
        assertThat(Files.readString(DIR.resolve("container").resolve("Containerfile"))).contains("WORKDIR /opt/hulft-ark");
        assertThat(configMount).isEqualTo("/opt/hulft-ark/config");
    }

    @Test
    void theServiceAndTheIngressReachTheDeploymentsPods() throws IOException {
        JsonNode labels = yaml("deployment.yaml").path("spec").path("template").path("metadata").path("labels");
        List<JsonNode> service = YAML.readerFor(JsonNode.class).<JsonNode>readValues(
                Files.readString(DIR.resolve("kubernetes").resolve("service.yaml"))).readAll();
        JsonNode selector = service.get(0).path("spec").path("selector");
        selector.fieldNames().forEachRemaining(k -> assertThat(labels.path(k).asText()).isEqualTo(selector.path(k).asText()));
        assertThat(service.get(0).path("spec").path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        assertThat(service.get(0).path("spec").path("ports")).as("the management port is not exposed").hasSize(1);
        assertThat(yaml("ingress.yaml").findValue("service").path("name").asText())
                .isEqualTo(service.get(0).path("metadata").path("name").asText());
        assertThat(yaml("ingress.yaml").path("metadata").path("annotations")
                .path("nginx.ingress.kubernetes.io/proxy-buffering").asText()).isEqualTo("off");
    }

    @Test
    void theBalancersCheckReadinessAndLeaveTheRealStreamUnbuffered() throws IOException {
        String openapi = Files.readString(Path.of("openapi", "fleet.yaml"));
        assertThat(openapi).contains("\n  /api/v1/fleet/stream:", "\n  /api/v1/fleet/reports:");
        String haproxy = Files.readString(DIR.resolve("haproxy").resolve("haproxy.cfg"));
        assertThat(haproxy).contains("option httpchk GET /q/health/ready", "timeout tunnel 1h", "port 9690");
        String nginx = Files.readString(DIR.resolve("nginx").resolve("fleet.conf"));
        String stream = nginx.substring(nginx.indexOf("location = /api/v1/fleet/stream"));
        assertThat(stream).contains("proxy_buffering off;", "proxy_read_timeout 1h;");
    }

    @Test
    void theSystemdUnitRunsTheFleetCommandWithKeysThatExist() throws IOException {
        String unit = Files.readString(DIR.resolve("systemd").resolve("hulft-ark-fleet.service"));
        assertThat(unit).contains("-jar /opt/hulft-ark/quarkus-run.jar fleet\n", "StateDirectory=hulft-ark-fleet");
        for (String line : unit.lines().filter(l -> l.startsWith("Environment=HULFTARK_")).toList()) {
            String env = line.substring("Environment=".length(), line.indexOf('=', "Environment=".length()));
            assertThat(knownEnv(env)).as(env).isTrue();
        }
    }

    @Test
    void theReadmeNamesEveryFileOfTheFolder() throws IOException {
        String readme = Files.readString(DIR.resolve("README.md"));
        try (Stream<Path> files = Files.walk(DIR)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().equals("README.md"))
                    .toList()) {
                String rel = DIR.relativize(f).toString();
                assertThat(readme.contains(rel) || readme.contains(rel.substring(0, rel.indexOf('/') + 1)))
                        .as(rel).isTrue();
            }
        }
    }
}
