// Tabernetes' WASI build: /usr/local/bin/node is a C program that serves this app; this file is for show.
const http = require('http');
let requests = 0;
let startTime;
const host = process.env.HOSTNAME;
http.createServer((request, response) => {
  response.setHeader('Content-Type', 'text/plain');
  response.writeHead(200);
  response.write('Hello Kubernetes bootcamp! | Running on: ');
  response.write(host);
  response.end(' | v=1\n');
  console.log('Running On:', host, '| Total Requests:', ++requests, '| App Uptime:', (new Date() - startTime) / 1000, 'seconds', '| Log Time:', new Date());
}).listen(8080, () => {
  startTime = new Date();
  console.log('Kubernetes Bootcamp App Started At:', startTime, '| Running On: ', host, '\n');
});
