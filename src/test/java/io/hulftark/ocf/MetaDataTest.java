package io.hulftark.ocf;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** meta-data is valid OCF 1.0 and says exactly what the parameter model checks. */
class MetaDataTest {

    /** Debian's resource-agents ships the DTD that ocf-tester validates against (.ci/run installs it). */
    static final Path DTD = Path.of("/usr/share/resource-agents/ra-api-1.dtd");

    /** As ocf-tester checks it: xmllint --valid in the DTD's folder, where the DOCTYPE's "ra-api-1.dtd" is found. */
    static Process xmllint() throws IOException {
        return new ProcessBuilder("xmllint", "--noout", "--valid", "-").directory(DTD.getParent().toFile())
                .redirectErrorStream(true).start();
    }

    @Test
    void validAgainstRaApi1DtdByXmllint() throws Exception {
        assertThat(DTD).as("resource-agents is installed (.ci/run)").isRegularFile();
        Process p = xmllint();
        try (var in = p.getOutputStream()) {
            in.write(MetaData.xml().getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEmpty();
    }

    @Test
    void anInvalidDocumentFailsTheSameCheck() throws Exception {
        // The check above can fail: a parameter without its content element is refused.
        String broken = MetaData.xml().replaceFirst("<content type=\"string\" />", "");
        Process p = xmllint();
        try (var in = p.getOutputStream()) {
            in.write(broken.getBytes(StandardCharsets.UTF_8));
        }
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isNotZero();
    }

    @Test
    void everyParameterOfTheModelAndNothingElse() throws Exception {
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(MetaData.xml().replaceFirst("<!DOCTYPE[^>]*>", "")
                        .getBytes(StandardCharsets.UTF_8)));
        NodeList params = d.getElementsByTagName("parameter");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < params.getLength(); i++) {
            Element e = (Element) params.item(i);
            OcfParameter p = OcfParameters.named(e.getAttribute("name"));
            names.add(p.name());
            assertThat(e.getAttribute("required")).isEqualTo(p.required() ? "1" : "0");
            assertThat(e.getAttribute("unique")).isEqualTo(p.unique() ? "1" : "0");
            Element content = (Element) e.getElementsByTagName("content").item(0);
            assertThat(content.getAttribute("type")).isEqualTo(p.type().word());
            assertThat(content.getAttribute("default")).isEqualTo(p.defaultValue().orElse(""));
            if (p.defaultValue().isPresent()) {
                assertThat(p.check().apply(p.defaultValue().get())).as("the default of " + p.name() + " is valid")
                        .isNull();
            }
        }
        assertThat(names).containsExactlyElementsOf(OcfParameters.ALL.stream().map(OcfParameter::name).toList());
        assertThat(OcfParameters.ALL.stream().filter(OcfParameter::required).map(OcfParameter::name))
                .containsExactly("service", "exe_path", "conf_file");
        NodeList actions = d.getElementsByTagName("action");
        List<String> actionNames = new ArrayList<>();
        for (int i = 0; i < actions.getLength(); i++) {
            actionNames.add(((Element) actions.item(i)).getAttribute("name"));
        }
        assertThat(actionNames).contains("start", "stop", "monitor", "validate-all", "meta-data", "reload");
    }

    @Test
    void textIsEscaped() throws IOException {
        assertThat(MetaData.escape("a<b & \"c\">")).isEqualTo("a&lt;b &amp; &quot;c&quot;&gt;");
        assertThat(Files.isRegularFile(DTD)).isTrue();
    }
}
