package io.hulftark.fleet.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hulftark.http.Params;
import io.hulftark.fleet.EventFeed;
import io.hulftark.fleet.FleetService;
import io.hulftark.fleet.view.FleetEvent;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import org.eclipse.microprofile.openapi.annotations.Operation;
import io.hulftark.http.CommonProblems;
import io.hulftark.http.Problem;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * {@code GET /api/v1/fleet/stream}: every new event as a Server-Sent Event, {@code id} its event id and
 * {@code data} the FleetEvent as JSON. A client that reconnects with {@code Last-Event-ID} (or {@code ?afterId=})
 * first gets what it missed, up to 1,000 events; a {@code ping} event every 15 s keeps idle streams open.
 */
@Path("/api/v1/fleet/stream")
@Tag(name = "fleet")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", description = CommonProblems.UNAUTHORIZED,
        headers = @Header(name = "WWW-Authenticate", description = "How to authenticate: " + CommonProblems.CHALLENGE,
                required = true, schema = @Schema(type = SchemaType.STRING)),
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "403", description = CommonProblems.FORBIDDEN,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "413", description = CommonProblems.TOO_LARGE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
@APIResponse(responseCode = "503", description = CommonProblems.UNAVAILABLE,
        content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
public class FleetStream {

    private final FleetService fleet;
    private final ObjectMapper json;

    public FleetStream(FleetService fleet, ObjectMapper json) {
        this.fleet = fleet;
        this.json = json;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Server-Sent Events of every change (state changes, transitions, actions, acknowledgements, windows)")
    @APIResponse(responseCode = "200", description = "An endless text/event-stream: for each new event `id:` its id and "
            + "`data:` the FleetEvent as one line of JSON; an event named `ping` with data `{}` every 15 s",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(type = SchemaType.STRING,
                    description = "Server-Sent Events (https://html.spec.whatwg.org/multipage/server-sent-events.html)")))
    @APIResponse(responseCode = "400", description = "Last-Event-ID or afterId is not an event id")
    public void stream(@Context SseEventSink sink, @Context Sse sse,
                       @Parameter(description = "The id of the last event seen: the stream first replays the events "
                               + "after it (up to 1,000); wins over afterId", schema = @Schema(type = SchemaType.INTEGER,
                               format = "int64", minimum = "0"))
                       @HeaderParam("Last-Event-ID") String lastEventId,
                       @Parameter(description = "As Last-Event-ID, for clients that cannot set a header",
                               schema = @Schema(type = SchemaType.INTEGER, format = "int64", minimum = "0"))
                       @QueryParam("afterId") String afterId) {
        long after = resumeFrom(lastEventId, afterId);
        EventFeed feed = fleet.feed();
        Subscriber subscriber = new Subscriber(sink, sse);
        // Subscribe first, then replay: an event in between arrives twice rather than never; the client
        // knows each by its id.
        feed.subscribe(subscriber);
        if (after >= 0) {
            feed.replay(after, Optional.empty(), subscriber::deliver);
        }
        subscriber.ping();
    }

    private static long resumeFrom(String lastEventId, String afterId) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            return Params.whole("Last-Event-ID", lastEventId, -1L, 0L, Long.MAX_VALUE);
        }
        return Params.whole("afterId", afterId, -1L, 0L, Long.MAX_VALUE);
    }

    private final class Subscriber implements EventFeed.Subscriber {
        private final SseEventSink sink;
        private final Sse sse;

        Subscriber(SseEventSink sink, Sse sse) {
            this.sink = sink;
            this.sse = sse;
        }

        @Override
        public boolean deliver(FleetEvent event) {
            String data;
            try {
                data = json.writeValueAsString(event);
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            return send(sse.newEventBuilder().id(Long.toString(event.id())).data(data).build());
        }

        @Override
        public boolean ping() {
            return send(sse.newEventBuilder().name("ping").data("{}").build());
        }

        private synchronized boolean send(OutboundSseEvent event) {
            if (sink.isClosed()) {
                return false;
            }
            sink.send(event).exceptionally(e -> {
                sink.close();
                return null;
            });
            return true;
        }
    }
}
