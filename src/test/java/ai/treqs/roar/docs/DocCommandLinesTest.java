package ai.treqs.roar.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class DocCommandLinesTest {

    @Test
    void bashBlocksOnlyContinuationsJoinedCommentsLeftOut() {
        String page = """
                Text `roar init` in prose.

                ```bash
                # a comment
                roar init      # .roar/ here

                ./mvnw -B package \\
                    -DskipTests
                ```

                ```
                roar output
                ```

                ```json
                {"a": 1}
                ```
                ```bash
                roar telemetry
                ```
                """;

        assertEquals(List.of(new DocCommandLines.Line(5, "roar init      # .roar/ here"),
                new DocCommandLines.Line(7, "./mvnw -B package      -DskipTests"),
                new DocCommandLines.Line(19, "roar telemetry")), DocCommandLines.of(page));
    }
}
