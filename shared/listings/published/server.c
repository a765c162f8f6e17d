#include <linux/in.h>
#include <linux/inet.h>
#include <linux/net.h>
#include <net/sock.h>

#include <linux/module.h>
#include <linux/slab.h>

int myserver(void){

	struct socket *sock,*client_sock;
	struct sockaddr_in s_addr;
	unsigned short portnum=0x8888;
	int ret=0;

	memset(&s_addr,0,sizeof(s_addr));
	s_addr.sin_family=AF_INET;
	s_addr.sin_port=htons(portnum);
	s_addr.sin_addr.s_addr=htonl(INADDR_ANY);

	sock=(struct socket *)kmalloc(sizeof(struct socket),GFP_KERNEL);
	client_sock=(struct socket *)kmalloc(sizeof(struct socket),GFP_KERNEL);

	ret=sock_create_kern(AF_INET, SOCK_STREAM,0,&sock);
	if(ret){
		printk("server:socket_create error!\n");
	}
	printk("server:socket_create ok!\n");

	ret=sock->ops->bind(sock,(struct sockaddr *)&s_addr,sizeof(struct sockaddr_in));
	if(ret<0){
		printk("server: bind error\n");
		return ret;
	}
	printk("server:bind ok!\n");

	ret=sock->ops->listen(sock,10);
	if(ret<0){
		printk("server: listen error\n");
		return ret;
	}
	printk("server:listen ok!\n");

	ret=sock->ops->accept(sock,client_sock,10);if(ret<0){
		printk("server:accept error!\n");
		return ret;
	}

	printk("server: accept ok, Connection Established\n");

	char *recvbuf=NULL;
	recvbuf=kmalloc(1024,GFP_KERNEL);
	if(recvbuf==NULL){
		printk("server: recvbuf kmalloc error!\n");
		return -1;
	}
	memset(recvbuf, 0, sizeof(recvbuf));

	struct kvec vec;
	struct msghdr msg;
	memset(&vec,0,sizeof(vec));
	memset(&msg,0,sizeof(msg));
	vec.iov_base=recvbuf;
	vec.iov_len=1024;
	ret=kernel_recvmsg(client_sock,&msg,&vec,1,1024,0);
	printk("receive message:\n %s\n",recvbuf);

	sock_release(sock);
	sock_release(client_sock);
	return ret;
}

static int server_init(void){
	printk("server init:\n");
	return (myserver());
}

static void server_exit(void){
	printk("good bye\n");
}

module_init(server_init);
module_exit(server_exit);

MODULE_LICENSE("GPL");
