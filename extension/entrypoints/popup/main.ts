// Placeholder popup: records the extension's own origin so a user can check which id it runs as.
const statusLine = document.getElementById('status');
if (statusLine) statusLine.dataset.origin = location.origin;
