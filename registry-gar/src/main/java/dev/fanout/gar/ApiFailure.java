package dev.fanout.gar;

import java.io.IOException;
import java.util.Optional;

/**
 * An error answer of the Artifact Registry API: {@code {"error":{"code":403,"message":"...",
 * "status":"PERMISSION_DENIED","details":[{"reason":"SERVICE_DISABLED",...}]}}}.
 */
final class ApiFailure extends IOException {

  private final int httpStatus;
  private final String status;
  private final Optional<String> reason;
  private final String apiMessage;

  /**
   * An error answer.
   *
   * @param call what was asked, for example "GET projects/p/locations/l/repositories/r"
   * @param httpStatus the HTTP status
   * @param status the Google status, for example {@code PERMISSION_DENIED}; empty when none came
   * @param reason the {@code ErrorInfo} reason, for example {@code SERVICE_DISABLED}
   * @param apiMessage the API's message
   */
  ApiFailure(
      String call, int httpStatus, String status, Optional<String> reason, String apiMessage) {
    super(
        call
            + " answered "
            + httpStatus
            + (status.isEmpty() ? "" : " " + status)
            + (apiMessage.isEmpty() ? "" : ": " + apiMessage));
    this.httpStatus = httpStatus;
    this.status = status;
    this.reason = reason;
    this.apiMessage = apiMessage;
  }

  int httpStatus() {
    return httpStatus;
  }

  String status() {
    return status;
  }

  Optional<String> reason() {
    return reason;
  }

  String apiMessage() {
    return apiMessage;
  }
}
