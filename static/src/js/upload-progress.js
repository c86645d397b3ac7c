// An upload shows how far it has got. A form marked data-upload-progress is sent with
// XMLHttpRequest (fetch cannot report an upload's progress), a progress bar and a status
// message say how much has gone, and the page the server answers with is then shown, as a
// plain submission would show it (the success banner, or the form again with its errors).
// Without script, or with nothing chosen to upload, the form posts as usual.
for (const form of document.querySelectorAll("form[data-upload-progress]")) {
  form.addEventListener("submit", (event) => {
    const chosen = [...form.querySelectorAll('input[type="file"]')].some(
      (input) => input.files && input.files.length > 0,
    );
    if (!chosen || typeof XMLHttpRequest === "undefined") return;
    event.preventDefault();

    const data = new FormData(form);
    if (event.submitter && event.submitter.name) {
      data.append(event.submitter.name, event.submitter.value);
    }
    const panel = document.createElement("div");
    panel.className = "app-upload-progress";
    const status = document.createElement("p");
    status.className = "govuk-body";
    status.setAttribute("role", "status");
    status.textContent = "Uploading: 0% sent";
    const bar = document.createElement("progress");
    bar.className = "app-upload-progress__bar";
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", "Upload progress");
    panel.append(status, bar);
    form.append(panel);
    const buttons = [...form.querySelectorAll("button, input[type=submit]")];
    for (const button of buttons) button.disabled = true;

    const request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    request.upload.addEventListener("progress", (progress) => {
      if (!progress.lengthComputable) return;
      const percent = Math.round((progress.loaded * 100) / progress.total);
      bar.value = percent;
      status.textContent =
        percent < 100 ? `Uploading: ${percent}% sent` : "Uploaded: checking the files";
    });
    request.addEventListener("load", () => {
      // The answer is the page to show: after a redirect, the page redirected to (its
      // banner already taken from the session, so it is shown rather than fetched again).
      const address = request.responseURL || window.location.href;
      document.open();
      document.write(request.responseText);
      document.close();
      window.history.replaceState(null, "", address);
    });
    request.addEventListener("error", () => {
      panel.remove();
      for (const button of buttons) button.disabled = false;
      window.alert("The upload did not reach the council. Check the connection and try again.");
    });
    request.send(data);
  });
}
